using TorchSharp;
using TorchSharp.Modules;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ColorTrack.Model;

/// <summary>
/// ResNet BasicBlock (He et al. 2016), field names as torchvision's so state_dict keys match:
/// conv1, bn1, conv2, bn2 and, when the shape changes, downsample.0 (1x1 conv) / downsample.1 (bn).
/// </summary>
public sealed class BasicBlock : Module<Tensor, Tensor>
{
    readonly Conv2d conv1;
    readonly SafeBatchNorm bn1;
    readonly Conv2d conv2;
    readonly SafeBatchNorm bn2;
    readonly Sequential? downsample;

    public BasicBlock(string name, int inChannels, int outChannels, int stride, int dilation) : base(name)
    {
        // padding = dilation keeps the spatial size of a 3x3 conv (up to the stride).
        conv1 = Conv2d(inChannels, outChannels, 3, stride: stride, padding: dilation, dilation: dilation, bias: false);
        bn1 = SafeBatchNorm.Of2d(outChannels);
        conv2 = Conv2d(outChannels, outChannels, 3, stride: 1, padding: dilation, dilation: dilation, bias: false);
        bn2 = SafeBatchNorm.Of2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
            downsample = Sequential(Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), SafeBatchNorm.Of2d(outChannels));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = functional.relu(bn1.forward(conv1.forward(x)));
        y = bn2.forward(conv2.forward(y));
        var identity = downsample is null ? x : downsample.forward(x);
        return functional.relu(y.PlusInPlace(identity)).MoveToOuterDisposeScope();
    }
}
