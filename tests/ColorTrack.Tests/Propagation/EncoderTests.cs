using ColorTrack.Propagation;
using ColorTrack.Runtime;
using ColorTrack.Tests.Support;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Propagation;

public class EncoderTests
{
    public EncoderTests() { TorchRuntime.EnsureLoaded(); manual_seed(0); }

    static string Weights => SharedData.Path("weights", "resnet18_imagenet_v1_bnfolded_to_layer3.pth");

    [SharedDataFact]
    public void ImageNet18_Gives256ChannelsAtStride8PaddingFramesTheStrideDoesNotDivide()
    {
        using var encoder = new ImageNetResNetEncoder(Weights);
        Assert.Equal((8, 256), (encoder.Stride, encoder.Dim));
        var e = encoder.Encode(rand(3, 3, 45, 70));
        Assert.Equal(new long[] { 3, 256, 6, 9 }, e.shape);
        // Batching does not change a frame's embedding.
        var frames = rand(2, 3, 32, 32);
        Assert.True(allclose(encoder.Encode(frames)[1], encoder.Encode(frames.narrow(0, 1, 1))[0], 1e-4, 1e-4));
    }

    [SharedDataFact]
    public void ImageNet18_InBFloat16_GivesFloat32EmbeddingsCloseToFp32()
    {
        // bf16 keeps 8 significant bits: each embedding vector should point the same way (cosine > 0.99).
        using var fp32 = new ImageNetResNetEncoder(Weights);
        using var bf16 = new ImageNetResNetEncoder(Weights, ScalarType.BFloat16);
        var frames = rand(2, 3, 64, 96);
        var a = fp32.Encode(frames); var b = bf16.Encode(frames);
        Assert.Equal(ScalarType.Float32, b.dtype);
        Assert.Equal(a.shape, b.shape);
        var cosine = nn.functional.cosine_similarity(a, b, dim: 1); // [2, h, w]
        Assert.True(cosine.min().item<float>() > 0.99, $"lowest cosine {cosine.min().item<float>()}");
    }

    [SharedDataFact]
    public void ImageNet18_RejectsWeightsThatAreNotResNet18ToLayer3()
    {
        var e = Assert.Throws<BadInputException>(() => new ImageNetResNetEncoder(SharedData.Path("weights", "resnet20_cifar10_state_dict_zip.pth")));
        Assert.Contains("resnet20_cifar10_state_dict_zip.pth", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void Pixels_DotProductIsAGaussianKernelOnLabDistance()
    {
        // Lifted onto a sphere: f_i . f_j = |f|^2 - |f_i - f_j|^2 / 2 for any two colours.
        using var encoder = new PixelLabEncoder(stride: 1);
        var f = encoder.Encode(rand(1, 3, 1, 2))[0].view(4, 2);
        var norms = f.square().sum(dim: 0);
        Assert.True(allclose(norms[0], norms[1], 1e-3, 1e-3));
        var dot = (f[.., 0] * f[.., 1]).sum();
        var d2 = (f[.., 0] - f[.., 1]).square().sum();
        Assert.Equal((norms[0] - d2 / 2).item<float>(), dot.item<float>(), 2);
    }
}
