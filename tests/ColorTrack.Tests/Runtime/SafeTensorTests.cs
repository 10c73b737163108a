using ColorTrack.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Runtime;

/// <summary>
/// <see cref="SafeTensor"/> must compute bit for bit what TorchSharp's own operators compute (the
/// validation masks stayed byte-identical when the library's arithmetic moved onto it); only the
/// Scalars' lifetime differs. The references below use TorchSharp's operators, which tests may.
/// </summary>
public class SafeTensorTests
{
    [Fact]
    public void SafeTensor_ArithmeticWithNumbers_EqualsTorchSharpsOperators()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(7);
        var x = randn(257) * 3;
        var s = x.Safe();
        Same(x + 0.055, s + 0.055);
        Same(0.055 + x, 0.055 + s);
        Same(x - 16, s - 16);
        Same(-x + 16, 16 - s);
        Same(x * 116, s * 116);
        Same(500 * x, 500 * s);
        Same(x / 1.055, s / 1.055);
        Same(-x, -s);
        Same(x.gt(0.04045), s > 0.04045);
        Same(x.lt(0.5), s < 0.5);
        Same(x.ge(0), s >= 0);
        Same(x.le(-1), s <= -1);
        Same(x.abs().pow(2.4), x.abs().Safe().Pow(2.4));
        Same(x.clamp_min(0), s.ClampMin(0));
        Same(x.clamp(0, 1), s.Clamp(0, 1));
        Same(x * x, s.Squared());
        Same(x.abs().sqrt(), x.abs().Safe().Sqrt());
        Same(x.exp(), s.Exp());
        Same(x.view(-1, 1).sum(1, keepdim: true), x.view(-1, 1).Safe().Sum(1, keepdim: true));
    }

    [Fact]
    public void SafeTensor_ArithmeticWithTensors_EqualsTorchSharpsOperators()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        manual_seed(11);
        var (a, b) = (randn(3, 5), randn(3, 5));
        foreach (var (sa, tb) in new (SafeTensor, Tensor)[] { (a.Safe(), b), (a.Safe(), b.Safe()) })
        {
            Same(a + b, sa + tb);
            Same(a - b, sa - tb);
            Same(a * b, sa * tb);
            Same(a / b, sa / tb);
        }
        Same(a + b, a + b.Safe());
        Same(a - b, a - b.Safe());
        // Into torch functions and back: the wrapper converts both ways.
        Tensor w = where(a.Safe() > 0, a.Safe() * 2, b);
        Same(where(a.gt(0), a * 2, b), w);
    }

    static void Same(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.equal(actual).all().item<bool>(), "the safe operator computes other values");
    }
}
