using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Runtime;

/// <summary>
/// A tensor whose arithmetic with numbers is safe to write as arithmetic: <c>((c + 0.055) / 1.055).Pow(2.4)</c>.
///
/// TorchSharp's own operators turn each number into a temporary <see cref="Scalar"/> that the garbage
/// collector may free while libtorch still reads it (see <see cref="Scalars"/>). These operators make
/// the Scalar themselves and hold it (<c>using</c>) until the call returns, and pass a living alpha to
/// every addition. Each operator is the one libtorch call TorchSharp's operator would
/// make (<c>x + 0.5</c> is <c>x.add(0.5, 1)</c>, <c>x / 2</c> is <c>x.div(2)</c>), so results are
/// bit-identical to the unsafe spelling. Converts implicitly to and from <see cref="Tensor"/>: wrap a
/// tensor with <see cref="Scalars.Safe"/> and pass the results straight to torch functions.
/// </summary>
public readonly struct SafeTensor(Tensor tensor)
{
    public Tensor Tensor { get; } = tensor;

    public static implicit operator Tensor(SafeTensor x) => x.Tensor;
    public static implicit operator SafeTensor(Tensor x) => new(x);

    // Tensor with tensor: add with the cached alpha 1; sub, mul and div take no Scalar.
    public static SafeTensor operator +(SafeTensor a, SafeTensor b) => a.Tensor.add(b.Tensor, Scalars.One);
    public static SafeTensor operator +(SafeTensor a, Tensor b) => a.Tensor.add(b, Scalars.One);
    public static SafeTensor operator +(Tensor a, SafeTensor b) => a.add(b.Tensor, Scalars.One);
    public static SafeTensor operator -(SafeTensor a, SafeTensor b) => a.Tensor.sub(b.Tensor);
    public static SafeTensor operator -(SafeTensor a, Tensor b) => a.Tensor.sub(b);
    public static SafeTensor operator -(Tensor a, SafeTensor b) => a.sub(b.Tensor);
    public static SafeTensor operator *(SafeTensor a, SafeTensor b) => a.Tensor.mul(b.Tensor);
    public static SafeTensor operator *(SafeTensor a, Tensor b) => a.Tensor.mul(b);
    public static SafeTensor operator *(Tensor a, SafeTensor b) => a.mul(b.Tensor);
    public static SafeTensor operator /(SafeTensor a, SafeTensor b) => a.Tensor.div(b.Tensor);
    public static SafeTensor operator /(SafeTensor a, Tensor b) => a.Tensor.div(b);
    public static SafeTensor operator /(Tensor a, SafeTensor b) => a.div(b.Tensor);
    public static SafeTensor operator -(SafeTensor a) => a.Tensor.neg();

    // Tensor with number: the number lives in a Scalar held for the call.
    public static SafeTensor operator +(SafeTensor a, double b) { using var s = b.ToScalar(); return a.Tensor.add(s, Scalars.One); }
    public static SafeTensor operator +(double a, SafeTensor b) { using var s = a.ToScalar(); return b.Tensor.add(s, Scalars.One); }
    public static SafeTensor operator -(SafeTensor a, double b) { using var s = b.ToScalar(); return a.Tensor.sub(s); }
    public static SafeTensor operator -(double a, SafeTensor b) { using var s = a.ToScalar(); return b.Tensor.neg().add_(s, Scalars.One); }
    public static SafeTensor operator *(SafeTensor a, double b) { using var s = b.ToScalar(); return a.Tensor.mul(s); }
    public static SafeTensor operator *(double a, SafeTensor b) { using var s = a.ToScalar(); return b.Tensor.mul(s); }
    public static SafeTensor operator /(SafeTensor a, double b) { using var s = b.ToScalar(); return a.Tensor.div(s); }

    // Comparisons with a number: boolean tensors.
    public static SafeTensor operator >(SafeTensor a, double b) { using var s = b.ToScalar(); return a.Tensor.gt(s); }
    public static SafeTensor operator <(SafeTensor a, double b) { using var s = b.ToScalar(); return a.Tensor.lt(s); }
    public static SafeTensor operator >=(SafeTensor a, double b) { using var s = b.ToScalar(); return a.Tensor.ge(s); }
    public static SafeTensor operator <=(SafeTensor a, double b) { using var s = b.ToScalar(); return a.Tensor.le(s); }

    /// <summary>x^p, elementwise.</summary>
    public SafeTensor Pow(double p) { using var s = p.ToScalar(); return Tensor.pow(s); }

    /// <summary>x², elementwise (as x * x: TorchSharp's square() makes a temporary exponent).</summary>
    public SafeTensor Squared() => Tensor.mul(Tensor);

    /// <summary>√x, elementwise.</summary>
    public SafeTensor Sqrt() => Tensor.sqrt();

    /// <summary>eˣ, elementwise.</summary>
    public SafeTensor Exp() => Tensor.exp();

    /// <summary>The sum over one dimension.</summary>
    public SafeTensor Sum(long dim, bool keepdim = false) => Tensor.sum(dim, keepdim);

    /// <summary>max(x, min), elementwise.</summary>
    public SafeTensor ClampMin(double min) { using var s = min.ToScalar(); return Tensor.clamp_min(s); }

    /// <summary>min(max(x, min), max), elementwise.</summary>
    public SafeTensor Clamp(double min, double max)
    {
        using var lo = min.ToScalar();
        using var hi = max.ToScalar();
        return Tensor.clamp(lo, hi);
    }
}
