using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ColorTrack.Model;

/// <summary>
/// A 3D convolution without bias (a drop-in for <c>Conv3d(..., bias: false)</c>: the same weight
/// [out, in, kt, kh, kw] under the same state-dict key) whose input channels are zero-padded to a
/// multiple of 16, the weight likewise, before libtorch sees them. The padded channels add nothing.
///
/// Why: oneDNN 3.7.1 (libtorch 2.10) computes wrong values, NaN among them, for a batch of more than
/// one frame when a convolution's input channels are not a multiple of its 16-channel blocks (e.g. the
/// 64 backbone channels + 2 coordinates the head starts with): measured on AMD EPYC (Zen 5) at every
/// oneDNN ISA level, forward and training alike; batch 1 and float64 are right. Test
/// <c>ChannelAlignedConv_EqualsFloat64Convolution_ForABatch</c> pins it.
/// </summary>
public sealed class ChannelAlignedConv3d : Module<Tensor, Tensor>
{
    const int Block = 16;

    readonly Parameter weight; // [out, in, kt, kh, kw]; the field name is the state-dict key
    readonly long[] _padding, _dilation;
    readonly int _extra;       // zero channels added to reach a multiple of Block

    public ChannelAlignedConv3d(long inChannels, long outChannels, (long, long, long) kernel, (long, long, long) padding,
                                (long, long, long) dilation, string name = "ChannelAlignedConv3d") : base(name)
    {
        // Made by Conv3d itself, so the default initialisation (and the random numbers it draws) is Conv3d's.
        using (var conv = Conv3d(inChannels, outChannels, kernel, stride: (1, 1, 1), padding: padding, dilation: dilation, bias: false))
            weight = new Parameter(conv.weight!.detach().clone());
        _padding = [padding.Item1, padding.Item2, padding.Item3];
        _dilation = [dilation.Item1, dilation.Item2, dilation.Item3];
        _extra = (int)((Block - inChannels % Block) % Block);
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public override Tensor forward(Tensor x)
    {
        if (_extra == 0)
            return functional.conv3d(x, weight, padding: _padding, dilation: _dilation);
        using var scope = NewDisposeScope();
        long[] channels = [0, 0, 0, 0, 0, 0, 0, _extra];                                 // pads dim -4: C of [B, C, T, h, w], in of the weight
        var y = functional.conv3d(functional.pad(x, channels), functional.pad(weight, channels), padding: _padding, dilation: _dilation);
        return y.MoveToOuterDisposeScope();
    }
}
