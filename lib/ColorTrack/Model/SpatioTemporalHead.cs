using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ColorTrack.Model;

/// <summary>
/// Appendix B's 3D network: for each spatial dilation d, a 1x3x3 conv (dilation 1xdxd) then a 3x1x1
/// conv (temporal, zero-padded by 1), each followed by BatchNorm3d + ReLU; then a 1x1x1 conv to the
/// embedding, with nothing after it. Maps [B, C, T, h, w] to [B, D, T, h, w].
/// With <c>temporal: false</c> the 3x1x1 convs are left out: every frame is embedded on its own, so a
/// frame's embedding is the same wherever it sits in a clip (reference or target).
/// </summary>
public sealed class SpatioTemporalHead : Module<Tensor, Tensor>
{
    readonly Sequential layers;

    public SpatioTemporalHead(int inChannels, int width, IReadOnlyList<int> dilations, int embeddingDim, bool temporal = true, string name = "head") : base(name)
    {
        var modules = new List<(string, Module<Tensor, Tensor>)>();
        var c = inChannels;
        for (var i = 0; i < dilations.Count; i++)
        {
            var d = dilations[i];
            // Spatial 1x3x3: padding d keeps h x w. No bias: BatchNorm follows and has one. Input channels
            // that are not a multiple of 16 (backbone + x, y) are aligned: oneDNN miscomputes them (ChannelAlignedConv3d).
            modules.Add(($"spatial{i}", c % 16 == 0
                ? Conv3d(c, width, (1, 3, 3), stride: (1, 1, 1), padding: (0, d, d), dilation: (1, d, d), bias: false)
                : new ChannelAlignedConv3d(c, width, (1, 3, 3), padding: (0, d, d), dilation: (1, d, d))));
            modules.Add(($"spatial{i}_bn", SafeBatchNorm.Of3d(width)));
            modules.Add(($"spatial{i}_relu", ReLU()));
            c = width;
            if (!temporal) continue;
            // Temporal 3x1x1: padding 1 keeps T (zeros beyond the clip's first and last frame).
            modules.Add(($"temporal{i}", Conv3d(width, width, (3, 1, 1), stride: (1, 1, 1), padding: (1, 0, 0), bias: false)));
            modules.Add(($"temporal{i}_bn", SafeBatchNorm.Of3d(width)));
            modules.Add(($"temporal{i}_relu", ReLU()));
        }
        modules.Add(("embed", Conv3d(c, embeddingDim, (1, 1, 1), bias: true)));
        layers = Sequential(modules);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => layers.forward(x);
}
