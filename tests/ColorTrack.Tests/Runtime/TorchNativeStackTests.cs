using ColorTrack.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Runtime;

public class TorchNativeStackTests
{
    public TorchNativeStackTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void TorchRuntime_ReportsPinnedVersions()
    {
        Assert.Equal("0.107.0", TorchRuntime.TorchSharpVersion);
        Assert.StartsWith("2.10", TorchRuntime.LibTorchVersion);
    }

    [Fact]
    public void ConvNet_GradientMatchesFiniteDifferences()
    {
        // A small conv net, forward and backward through libtorch, in float64 so central differences
        // are accurate to ~1e-8: this exercises conv2d, batch-free relu, pooling and autograd natively.
        using var scope = NewDisposeScope();
        torch.manual_seed(7);
        var x = randn(2, 3, 8, 8, dtype: float64);
        var w1 = randn(4, 3, 3, 3, dtype: float64).mul_(0.3).requires_grad_();
        var w2 = randn(2, 4, 3, 3, dtype: float64).mul_(0.3).requires_grad_();
        var b1 = randn(4, dtype: float64).mul_(0.1).requires_grad_();

        Tensor Loss() // scalar
        {
            var h = nn.functional.relu(nn.functional.conv2d(x, w1, b1, padding: new long[] { 1, 1 })); // [2, 4, 8, 8]
            var y = nn.functional.conv2d(h, w2, strides: new long[] { 2, 2 });                           // [2, 2, 3, 3]
            return y.tanh().pow(2).sum();
        }

        var loss = Loss();
        loss.backward();
        var analytic = new[] { w1.grad!.clone(), w2.grad!.clone(), b1.grad!.clone() };
        var parameters = new[] { w1, w2, b1 };

        const double eps = 1e-6;
        var rng = new Random(3);
        int checkedCount = 0;
        using (no_grad())
        {
            for (int p = 0; p < parameters.Length; p++)
            {
                var flat = parameters[p].view(-1);
                for (int trial = 0; trial < 6; trial++)
                {
                    long i = rng.NextInt64(flat.shape[0]);
                    double orig = flat[i].item<double>();
                    flat[i] = orig + eps; double up = Loss().item<double>();
                    flat[i] = orig - eps; double down = Loss().item<double>();
                    flat[i] = orig;
                    double numeric = (up - down) / (2 * eps);
                    double auto = analytic[p].view(-1)[i].item<double>();
                    Assert.True(Math.Abs(numeric - auto) <= 1e-6 * Math.Max(1, Math.Abs(numeric)),
                        $"param {p} element {i}: autograd {auto} vs finite difference {numeric}");
                    checkedCount++;
                }
            }
        }
        Assert.Equal(18, checkedCount);
        Assert.True(analytic.All(g => g.abs().sum().item<double>() > 0), "every parameter gets a gradient");
    }
}
