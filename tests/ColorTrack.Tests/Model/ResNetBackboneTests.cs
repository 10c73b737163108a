using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Model;

public class ResNetBackboneTests
{
    public ResNetBackboneTests() => TorchRuntime.EnsureLoaded();

    static string ImageNetLayer3 => SharedData.Path("weights", "resnet18_imagenet_v1_bnfolded_to_layer3.pth");

    [Fact]
    public void PaperBackbone_Maps256GrayTo32x32x256()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var net = new ResNetBackbone(ResNetConfig.PaperResNet18());
        net.eval();
        using var noGrad = no_grad();
        var y = net.forward(rand(1, 1, 256, 256) * 2 - 1);
        Assert.Equal(new long[] { 1, 256, 32, 32 }, y.shape);
        Assert.Equal(8, net.Config.OutputStride);
    }

    [Fact]
    public void Backbone_HasTorchvisionKeyNames()
    {
        using var net = new ResNetBackbone(ResNetConfig.ResNet18Layer3Stride8());
        var keys = net.state_dict().Keys.ToHashSet();
        Assert.Contains("conv1.weight", keys);
        Assert.Contains("bn1.running_var", keys);
        Assert.Contains("layer1.1.conv2.weight", keys);
        Assert.Contains("layer2.0.downsample.0.weight", keys);
        Assert.Contains("layer3.0.downsample.1.num_batches_tracked", keys);
        Assert.DoesNotContain("layer1.0.downsample.0.weight", keys); // same shape: identity shortcut
        Assert.DoesNotContain(keys, k => k.StartsWith("layer4", StringComparison.Ordinal));
        Assert.Equal(90, keys.Count); // exactly the keys of torchvision's resnet18 up to layer3
    }

    [SharedDataFact]
    public void ImageNetWeights_LoadWithNoMissingOrUnexpectedKeys_AndBatchNormIsIdentityPlusBias()
    {
        using var net = new ResNetBackbone(ResNetConfig.ResNet18Layer3Stride8());
        var report = net.LoadPyTorchStateDict(ImageNetLayer3);
        Assert.Equal(90, report.Loaded.Count);
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);
        Assert.Empty(report.Adapted);

        var sd = net.state_dict();
        // BN folded into the convs: every BN is scale 1, mean 0 and var 1 - eps (so sqrt(var + eps) = 1),
        // i.e. identity plus bias.
        foreach (var (k, t) in sd.Where(kv => kv.Key.EndsWith("running_var", StringComparison.Ordinal)))
            Assert.True((t + 1e-5).allclose(ones_like(t), rtol: 0, atol: 1e-6), k);
        Assert.True(sd["bn1.weight"].eq(1).all().item<bool>());
        Assert.True(sd["layer3.1.bn2.running_mean"].eq(0).all().item<bool>());
        // The weights really arrived: conv1's statistics as read from the file with Python's zipfile
        // + struct (mean |w| 0.0169355, max 0.4136073), far from a fresh Kaiming init (mean |w| ~0.09).
        var w = sd["conv1.weight"];
        Assert.Equal(new long[] { 64, 3, 7, 7 }, w.shape);
        Assert.Equal(0.0169355, w.abs().mean().item<float>(), 1e-6);
        Assert.Equal(0.4136073, w.max().item<float>(), 1e-6);
    }

    [SharedDataFact]
    public void ImageNetWeights_ForwardIsFiniteDeterministicAndGrayAdaptationMatchesRgbOfGray()
    {
        using var scope = NewDisposeScope();
        using var rgbNet = new ResNetBackbone(ResNetConfig.ResNet18Layer3Stride8(inChannels: 3));
        using var grayNet = new ResNetBackbone(ResNetConfig.ResNet18Layer3Stride8(inChannels: 1));
        rgbNet.LoadPyTorchStateDict(ImageNetLayer3);
        var report = grayNet.LoadPyTorchStateDict(ImageNetLayer3);
        Assert.Single(report.Adapted);
        rgbNet.eval();
        grayNet.eval();
        using var noGrad = no_grad();

        manual_seed(3);
        var gray = rand(2, 1, 64, 96);                        // [N, 1, H, W]
        var rgb = gray.expand(2, 3, 64, 96).contiguous();     // the same image as (g, g, g)
        var a = rgbNet.forward(rgb);
        var b = rgbNet.forward(rgb);
        var c = grayNet.forward(gray);
        Assert.Equal(new long[] { 2, 256, 8, 12 }, a.shape);
        Assert.True(a.isfinite().all().item<bool>());
        Assert.True(a.eq(b).all().item<bool>(), "eval forward is deterministic");
        Assert.True(a.abs().max().item<float>() > 0f);
        // Summing conv1 over colour is exact for gray images (up to float rounding).
        Assert.True(a.allclose(c, rtol: 1e-4, atol: 1e-4), $"max diff {(a - c).abs().max().item<float>()}");
    }

    [SharedDataFact]
    public void CifarResNet20_IntoAResNet18_FailsNamingTheKeyAndShapes()
    {
        var path = SharedData.Path("weights", "resnet20_cifar10_state_dict_zip.pth");
        var dict = ResNetBackbone.ReadPyTorchStateDict(path);
        Assert.Equal(97, dict.Count);
        Assert.Equal(new long[] { 16, 3, 3, 3 }, dict["conv1.weight"].shape);
        foreach (var t in dict.Values) t.Dispose();

        using var net = new ResNetBackbone(ResNetConfig.ResNet18Layer3Stride8());
        var e = Assert.Throws<BadInputException>(() => net.LoadPyTorchStateDict(path));
        Assert.True(e.Message.Contains("65 tensors do not fit") && e.Message.Contains("'bn1.bias' is [16], expected [64]"), e.Message);
    }

    [Fact]
    public void NotAStateDict_IsBadInput()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["junk.pth"], "this is not a zip");
        using var net = new ResNetBackbone(ResNetConfig.ResNet18Layer3Stride8());
        var e = Assert.Throws<BadInputException>(() => net.LoadPyTorchStateDict(dir["junk.pth"]));
        Assert.Contains("junk.pth", e.Message);
    }
}
