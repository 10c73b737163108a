using TorchSharp;
using ColorTrack.Model;
using static TorchSharp.torch;

namespace ColorTrack.Propagation;

/// <summary>
/// The common "ImageNet ResNet-18" baseline of later label-propagation papers: torchvision's
/// ImageNet ResNet-18 up to layer3, layer3 at stride 1, giving 256-channel embeddings at stride 8.
/// Frames are normalised with the ImageNet mean and standard deviation the weights were trained with.
/// </summary>
public sealed class ImageNetResNetEncoder : IFrameEncoder
{
    static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    readonly ResNetBackbone _net;
    readonly Tensor _mean, _std; // [1, 3, 1, 1]

    public string Name => "imagenet18";
    public int Stride => _net.Config.OutputStride;
    public int Dim => _net.Config.OutChannels;

    /// <summary>Frames encoded per forward pass (bounds the activations' memory).</summary>
    public int Batch { get; init; } = 2;

    /// <summary>Element type the network computes in (float32, or bfloat16: about 2x faster on CPUs with AVX-512 BF16); embeddings come back float32.</summary>
    public ScalarType ComputeType { get; }

    /// <summary>Load the weights (a PyTorch state_dict .pth, e.g. resnet18_imagenet_v1_bnfolded_to_layer3.pth); every layer up to layer3 must be in it.</summary>
    public ImageNetResNetEncoder(string weightsPath, ScalarType computeType = ScalarType.Float32)
    {
        ComputeType = computeType;
        _net = new ResNetBackbone(ResNetConfig.ResNet18Layer3Stride8(inChannels: 3));
        var report = _net.LoadPyTorchStateDict(weightsPath);
        if (report.Missing.Count > 0)
            throw new BadInputException(weightsPath, $"not ResNet-18 weights up to layer3: {report.Missing.Count} parameters missing (e.g. {report.Missing[0]})");
        _net.eval();
        _net.to(computeType);
        _mean = tensor(Mean).view(1, 3, 1, 1).DetachFromDisposeScope();
        _std = tensor(Std).view(1, 3, 1, 1).DetachFromDisposeScope();
    }

    public Tensor Encode(Tensor frames)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var outputs = new List<Tensor>();
        for (long t = 0; t < frames.shape[0]; t += Batch)
        {
            var x = frames.narrow(0, t, Math.Min(Batch, frames.shape[0] - t)).to(float32);
            x = LabelGrid.PadToStride((x - _mean) / _std, Stride); // pad after normalising: edge values, not black
            outputs.Add(_net.forward(x.to(ComputeType)).to(float32)); // [b, 256, h, w]
        }
        return cat(outputs, 0).MoveToOuterDisposeScope();          // [T, 256, h, w]
    }

    public void Dispose()
    {
        _net.Dispose();
        _mean.Dispose();
        _std.Dispose();
    }
}
