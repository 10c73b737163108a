using ColorTrack.Model;
using ColorTrack.Runtime;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Model;

public class ChannelAlignedConv3dTests
{
    public ChannelAlignedConv3dTests() { TorchRuntime.EnsureLoaded(); manual_seed(0); }

    [Theory]
    [InlineData(66, 1)]  // 64 backbone channels + x, y: what the heads of paper/small/tiny start with
    [InlineData(130, 2)]
    [InlineData(64, 1)]  // already aligned: a plain convolution
    public void ChannelAlignedConv_EqualsFloat64Convolution_ForABatch(int inChannels, int dilation)
    {
        // float64 convolutions do not go through oneDNN, whose fp32 kernels miscompute unaligned
        // channel counts for batches > 1 on some CPUs (see ChannelAlignedConv3d).
        using var conv = new ChannelAlignedConv3d(inChannels, 32, (1, 3, 3), padding: (0, dilation, dilation), dilation: (1, dilation, dilation));
        var x = randn([4, inChannels, 3, 9, 11]).requires_grad_(true);                 // [B, C, T, h, w]
        var y = conv.forward(x);
        Assert.Equal(new long[] { 4, 32, 3, 9, 11 }, y.shape);
        y.square().sum().backward();

        var x64 = x.detach().to(float64).requires_grad_(true);
        var w64 = conv.Weight.detach().to(float64).requires_grad_(true);
        var y64 = nn.functional.conv3d(x64, w64, padding: [0, dilation, dilation], dilation: [1, dilation, dilation]);
        y64.square().sum().backward();
        Assert.True((y.to(float64) - y64).abs().max().item<double>() < 1e-4);
        Assert.True((x.grad!.to(float64) - x64.grad!).abs().max().item<double>() < 1e-3);
        Assert.True(((conv.Weight.grad!.to(float64) - w64.grad!).abs().max() / w64.grad!.abs().max()).item<double>() < 1e-5);
    }

    [Fact]
    public void ChannelAlignedConv_KeepsConv3dsStateDictKey_AndShape()
    {
        using var conv = new ChannelAlignedConv3d(66, 64, (1, 3, 3), padding: (0, 1, 1), dilation: (1, 1, 1));
        var sd = conv.state_dict();
        Assert.Equal(["weight"], sd.Keys);
        Assert.Equal(new long[] { 64, 66, 1, 3, 3 }, sd["weight"].shape);
    }
}
