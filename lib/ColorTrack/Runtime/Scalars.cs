using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Runtime;

/// <summary>
/// Scalars that outlive the libtorch call they are passed to.
///
/// TorchSharp 0.107 hands libtorch a <see cref="Scalar"/>'s raw handle and never keeps the managed
/// object alive for the call (no GC.KeepAlive in 81 of its 82 Scalar-taking methods). A temporary
/// Scalar, from an implicit conversion such as <c>x.div_(255)</c> or the alpha TorchSharp itself
/// makes for <c>a + b</c>, is garbage from the moment its handle is read: a collection started by
/// another thread (a progress bar, a frame decoder, the test host) lets the finalizer free it while
/// libtorch still reads it. The symptoms are rare and random: "Unsupported TypeMeta in ATen: nullptr",
/// "Unknown scalar type", wrong alpha types. Upstream: dotnet/TorchSharp PRs 1434 and 1496 (open).
///
/// So the library never makes a temporary Scalar: arithmetic with numbers is written on
/// <see cref="SafeTensor"/> (<c>x.Safe() * 2 - 1</c>), whose operators hold their Scalars for the call;
/// elsewhere constants come from <see cref="S"/> (cached for the life of the process), values known only
/// at run time are held by <c>using var</c> for the call, and additions go through
/// <see cref="Plus(Tensor, Tensor)"/>, which passes a living alpha. The test
/// <c>LibraryCode_MakesNoTemporaryScalars</c> reads the IL of the library and fails on any other.
/// </summary>
public static class Scalars
{
    static readonly ConcurrentDictionary<double, Scalar> Doubles = new();
    static readonly ConcurrentDictionary<long, Scalar> Longs = new();

    /// <summary>The integer 1, the alpha of every addition.</summary>
    public static readonly Scalar One = 1L.ToScalar();

    /// <summary>A floating-point constant, created once and never freed. For constants only: values that
    /// vary at run time would grow the cache; hold those with <c>using var s = v.ToScalar()</c>.</summary>
    public static Scalar S(double value) => Doubles.GetOrAdd(value, v => v.ToScalar());

    /// <summary>An integer constant (keeps integer tensors integer), created once and never freed.</summary>
    public static Scalar I(long value) => Longs.GetOrAdd(value, v => v.ToScalar());

    /// <summary>a + b (TorchSharp's <c>a + b</c> makes a temporary alpha).</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a + constant.</summary>
    public static Tensor Plus(this Tensor a, double b) => a.add(S(b), One);

    /// <summary>a + a scalar held elsewhere (e.g. <c>I(1)</c> for integer tensors).</summary>
    public static Tensor Plus(this Tensor a, Scalar b) => a.add(b, One);

    /// <summary>a += b, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary>x², elementwise (TorchSharp's <c>square()</c> makes a temporary exponent).</summary>
    public static Tensor Squared(this Tensor x) => x.mul(x);

    /// <summary>The tensor, for arithmetic with numbers written as arithmetic (<see cref="SafeTensor"/>).</summary>
    public static SafeTensor Safe(this Tensor x) => new(x);

    /// <summary>[start, start + 1, ..., stop - 1] as <paramref name="dtype"/>.</summary>
    public static Tensor Range(long start, long stop, ScalarType dtype = ScalarType.Int64, Device? device = null) =>
        arange(I(start), I(stop), One, dtype, device);
}
