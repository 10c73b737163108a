namespace ColorTrack.Model;

/// <summary>
/// Shape of a ResNet-18-style (BasicBlock) backbone. The defaults are torchvision's ResNet-18 trunk
/// without pooling/fc; each stage is one torchvision "layerN" (two BasicBlocks by default).
/// </summary>
/// <param name="InChannels">1 for gray input (the colorization model), 3 for RGB (ImageNet weights).</param>
/// <param name="Widths">Output channels of each stage; the stem (conv1) has Widths[0] channels, as in torchvision.</param>
/// <param name="Blocks">BasicBlocks per stage (ResNet-18: 2 each).</param>
/// <param name="Strides">Stride of each stage's first block (ResNet-18: 1, 2, 2, 2).</param>
/// <param name="Dilations">Dilation of each stage's 3x3 convolutions (1 = plain; used to keep the
/// receptive field when a stage's stride is removed).</param>
public sealed record ResNetConfig(int InChannels, int[] Widths, int[] Blocks, int[] Strides, int[] Dilations)
{
    /// <summary>Number of stages (torchvision layer1..layerN).</summary>
    public int Stages => Widths.Length;

    /// <summary>Channels of the output map.</summary>
    public int OutChannels => Widths[^1];

    /// <summary>Input pixels per output pixel: stem conv (2) x max-pool (2) x the stage strides.</summary>
    public int OutputStride => 4 * Strides.Aggregate(1, (a, s) => a * s);

    /// <summary>
    /// torchvision's ResNet-18 up to layer3 with layer3 at stride 1: 256 channels at output stride 8
    /// (the encoder of the common "ImageNet ResNet-18" label-propagation baseline; RGB input).
    /// </summary>
    public static ResNetConfig ResNet18Layer3Stride8(int inChannels = 3) =>
        new(inChannels, [64, 128, 256], [2, 2, 2], [1, 2, 1], [1, 1, 1]);

    /// <summary>
    /// The paper's backbone: all four ResNet-18 stages, output 32x32x256 for a 256x256 frame. The
    /// strides of layer3 and layer4 are removed (output stride 8) and replaced by dilation 2 and 4 so
    /// the receptive field stays that of the original network; layer4 is 256 wide (the paper's 256-d map).
    /// </summary>
    public static ResNetConfig PaperResNet18(int inChannels = 1) =>
        new(inChannels, [64, 128, 256, 256], [2, 2, 2, 2], [1, 2, 1, 1], [1, 1, 2, 4]);

    /// <summary>Throws when the arrays disagree in length or hold non-positive numbers.</summary>
    public void Validate()
    {
        if (InChannels < 1) throw new ArgumentException($"InChannels must be >= 1, got {InChannels}");
        if (Widths.Length == 0) throw new ArgumentException("a ResNet needs at least one stage");
        if (Blocks.Length != Stages || Strides.Length != Stages || Dilations.Length != Stages)
            throw new ArgumentException($"Widths, Blocks, Strides and Dilations must have one entry per stage ({Stages})");
        if (Widths.Concat(Blocks).Concat(Strides).Concat(Dilations).Any(v => v < 1))
            throw new ArgumentException("widths, blocks, strides and dilations must all be >= 1");
    }
}
