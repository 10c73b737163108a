using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;

namespace ColorTrack.Color;

/// <summary>
/// sRGB &lt;-&gt; CIE Lab (D65 white, 2-degree observer), the same formulas as scikit-image's
/// rgb2lab / lab2rgb, so bins and gray inputs match the reference implementations.
///
///   linear = c &gt; 0.04045 ? ((c + 0.055) / 1.055)^2.4 : c / 12.92          (c = sRGB / 255)
///   XYZ    = M · linear,  t = XYZ / white
///   f(t)   = t &gt; 0.008856 ? cbrt(t) : 7.787 t + 16/116
///   L = 116 f(Y) - 16,  a = 500 (f(X) - f(Y)),  b = 200 (f(Y) - f(Z))
///
/// Three paths: a scalar one (double, for tests and single colours), a frame path over planar
/// float spans (8-bit RGB in: the gamma curve is a 256-entry table and the cube root is a SIMD
/// bit-trick start plus two Halley steps, rows split over cores), and a torch path on tensors.
/// </summary>
public static class LabColor
{
    // scikit-image's xyz_from_rgb (sRGB primaries, D65) and the D65 2-degree white point.
    static readonly double[,] XyzFromRgb =
    {
        { 0.412453, 0.357580, 0.180423 },
        { 0.212671, 0.715160, 0.072169 },
        { 0.019334, 0.119193, 0.950227 },
    };
    static readonly double[] White = { 0.95047, 1.0, 1.08883 };
    static readonly double[,] RgbFromXyz = Invert3(XyzFromRgb);

    const double Epsilon = 0.008856, Kappa = 7.787, Offset = 16.0 / 116.0;

    /// <summary>sRGB byte -> linear intensity; the exact curve, tabulated (only 256 inputs exist).</summary>
    static readonly float[] LinearOfByte = Enumerable.Range(0, 256).Select(i => (float)SrgbToLinear(i / 255.0)).ToArray();

    // Rows of M divided by the white point, so t = row · linear directly.
    static readonly float[] Mw = Enumerable.Range(0, 9).Select(i => (float)(XyzFromRgb[i / 3, i % 3] / White[i / 3])).ToArray();

    // ---------------------------------------------------------------- scalar (double precision)

    public static double SrgbToLinear(double c) => c > 0.04045 ? Math.Pow((c + 0.055) / 1.055, 2.4) : c / 12.92;

    public static double LinearToSrgb(double c) => c > 0.0031308 ? 1.055 * Math.Pow(c, 1 / 2.4) - 0.055 : c * 12.92;

    /// <summary>One sRGB colour (channels in [0, 1]) to Lab.</summary>
    public static (double L, double A, double B) FromRgb(double r, double g, double b)
    {
        Span<double> lin = stackalloc double[] { SrgbToLinear(r), SrgbToLinear(g), SrgbToLinear(b) };
        Span<double> f = stackalloc double[3];
        for (int i = 0; i < 3; i++)
        {
            double t = (XyzFromRgb[i, 0] * lin[0] + XyzFromRgb[i, 1] * lin[1] + XyzFromRgb[i, 2] * lin[2]) / White[i];
            f[i] = t > Epsilon ? Math.Cbrt(t) : Kappa * t + Offset;
        }
        return (116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2]));
    }

    /// <summary>One Lab colour to sRGB in [0, 1] (clipped, as scikit-image does).</summary>
    public static (double R, double G, double B) ToRgb(double l, double a, double b)
    {
        double fy = (l + 16) / 116, fx = fy + a / 500, fz = Math.Max(fy - b / 200, 0); // z < 0 is clipped by skimage
        Span<double> xyz = stackalloc double[] { InverseF(fx) * White[0], InverseF(fy) * White[1], InverseF(fz) * White[2] };
        Span<double> rgb = stackalloc double[3];
        for (int i = 0; i < 3; i++)
        {
            double lin = RgbFromXyz[i, 0] * xyz[0] + RgbFromXyz[i, 1] * xyz[1] + RgbFromXyz[i, 2] * xyz[2];
            rgb[i] = Math.Clamp(LinearToSrgb(lin), 0, 1);
        }
        return (rgb[0], rgb[1], rgb[2]);
    }

    static double InverseF(double t) => t > 0.2068966 ? t * t * t : (t - Offset) / Kappa;

    // ---------------------------------------------------------------- frames (planar float spans)

    /// <summary>
    /// RGB24 interleaved pixels (row-major) to planar L, a, b (each one float per pixel).
    /// Large frames are split into chunks converted in parallel (unless <paramref name="parallel"/> is false,
    /// e.g. inside a loader that already runs one worker per core).
    /// </summary>
    public static void RgbToLab(ReadOnlySpan<byte> rgb, Span<float> l, Span<float> a, Span<float> b, bool parallel = true)
    {
        int n = rgb.Length / 3;
        if (rgb.Length != 3 * n || l.Length < n || a.Length < n || b.Length < n)
            throw new ArgumentException($"need 3 bytes per pixel and {n} floats per plane");
        const int chunk = 1 << 15;
        if (n <= chunk || !parallel) { RgbToLabChunk(rgb, l, a, b); return; }
        unsafe
        {
            fixed (byte* prgb = rgb)
            fixed (float* pl = l, pa = a, pb = b)
            {
                // Spans cannot cross into a lambda; raw pointers can (the fixed block outlives the loop).
                nint ip = (nint)prgb, lp = (nint)pl, ap = (nint)pa, bp = (nint)pb;
                Parallel.For(0, (n + chunk - 1) / chunk, c =>
                {
                    int s = c * chunk, m = Math.Min(chunk, n - s);
                    RgbToLabChunk(new ReadOnlySpan<byte>((byte*)ip + 3 * s, 3 * m), new Span<float>((float*)lp + s, m),
                        new Span<float>((float*)ap + s, m), new Span<float>((float*)bp + s, m));
                });
            }
        }
    }

    /// <summary>RGB24 frame -> planar Lab [3, H, W] (L plane, then a, then b).</summary>
    public static float[] RgbToLab(ReadOnlySpan<byte> rgb)
    {
        int n = rgb.Length / 3;
        var lab = new float[3 * n];
        RgbToLab(rgb, lab.AsSpan(0, n), lab.AsSpan(n, n), lab.AsSpan(2 * n, n));
        return lab;
    }

    static void RgbToLabChunk(ReadOnlySpan<byte> rgb, Span<float> l, Span<float> a, Span<float> b)
    {
        int n = l.Length;
        // De-interleave through the gamma table into the output planes, then convert in place with SIMD.
        // The three planes temporarily hold linear R, G, B.
        for (int i = 0; i < n; i++)
        {
            l[i] = LinearOfByte[rgb[3 * i]];
            a[i] = LinearOfByte[rgb[3 * i + 1]];
            b[i] = LinearOfByte[rgb[3 * i + 2]];
        }
        var vr = MemoryMarshal.Cast<float, Vector<float>>(l);
        var vg = MemoryMarshal.Cast<float, Vector<float>>(a);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
        var m = Mw;
        for (int i = 0; i < vr.Length; i++)
        {
            Vector<float> r = vr[i], g = vg[i], bl = vb[i];
            var fx = F(m[0] * r + m[1] * g + m[2] * bl);
            var fy = F(m[3] * r + m[4] * g + m[5] * bl);
            var fz = F(m[6] * r + m[7] * g + m[8] * bl);
            vr[i] = 116f * fy - new Vector<float>(16f);
            vg[i] = 500f * (fx - fy);
            vb[i] = 200f * (fy - fz);
        }
        for (int i = vr.Length * Vector<float>.Count; i < n; i++) // the tail, scalar
        {
            float fx = FScalar(m[0] * l[i] + m[1] * a[i] + m[2] * b[i]);
            float fy = FScalar(m[3] * l[i] + m[4] * a[i] + m[5] * b[i]);
            float fz = FScalar(m[6] * l[i] + m[7] * a[i] + m[8] * b[i]);
            l[i] = 116f * fy - 16f; a[i] = 500f * (fx - fy); b[i] = 200f * (fy - fz);
        }
    }

    static float FScalar(float t) => t > (float)Epsilon ? MathF.Cbrt(t) : (float)Kappa * t + (float)Offset;

    /// <summary>f(t) on a SIMD vector: cube root above the knee, the linear segment below it.</summary>
    static Vector<float> F(Vector<float> t)
    {
        // Cube root: divide the float's bit pattern by 3 and add a magic bias (a ~3% first guess),
        // then two Halley steps y <- y (y^3 + 2t) / (2y^3 + t), which triple the correct digits each.
        var bits = Vector.ConvertToInt32(Vector.ConvertToSingle(Vector.AsVectorInt32(t)) * (1f / 3f)) + new Vector<int>(0x2a514067);
        var y = Vector.AsVectorSingle(bits);
        for (int k = 0; k < 2; k++)
        {
            var y3 = y * y * y;
            y *= (y3 + 2f * t) / (2f * y3 + t);
        }
        var linear = (float)Kappa * t + new Vector<float>((float)Offset);
        return Vector.ConditionalSelect(Vector.GreaterThan(t, new Vector<float>((float)Epsilon)), y, linear);
    }

    /// <summary>Planar L, a, b back to RGB24 interleaved (rounded, clipped). For pictures, not hot loops.</summary>
    public static void LabToRgb(ReadOnlySpan<float> l, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<byte> rgb)
    {
        int n = l.Length;
        if (a.Length < n || b.Length < n || rgb.Length < 3 * n) throw new ArgumentException("plane sizes differ");
        for (int i = 0; i < n; i++)
        {
            var (r, g, bl) = ToRgb(l[i], a[i], b[i]);
            rgb[3 * i] = (byte)Math.Round(r * 255);
            rgb[3 * i + 1] = (byte)Math.Round(g * 255);
            rgb[3 * i + 2] = (byte)Math.Round(bl * 255);
        }
    }

    // ---------------------------------------------------------------- torch tensors

    /// <summary>sRGB tensor [..., 3, H, W] with values in [0, 1] -> Lab [..., 3, H, W] (float32).</summary>
    public static Tensor RgbToLab(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var c = rgb.to_type(ScalarType.Float32).Safe();
        var lin = where(c > 0.04045, ((c + 0.055) / 1.055).Pow(2.4), c / 12.92);        // [..., 3, H, W]
        using var m = tensor(Mw, new long[] { 3, 3 }).to(rgb.device);
        var t = einsum("ij,...jhw->...ihw", m, lin).Safe();                               // XYZ / white
        var f = where(t > Epsilon, t.ClampMin(0).Pow(1.0 / 3.0), t * Kappa + Offset);
        var (fx, fy, fz) = (f.select(-3, 0).Safe(), f.select(-3, 1).Safe(), f.select(-3, 2).Safe());
        return stack(new Tensor[] { fy * 116 - 16, (fx - fy) * 500, (fy - fz) * 200 }, dim: -3).MoveToOuterDisposeScope();
    }

    /// <summary>Lab tensor [..., 3, H, W] -> sRGB [..., 3, H, W] in [0, 1] (float32, clipped).</summary>
    public static Tensor LabToRgb(Tensor lab)
    {
        using var scope = NewDisposeScope();
        var x = lab.to_type(ScalarType.Float32);
        var (l, a, b) = (x.select(-3, 0).Safe(), x.select(-3, 1).Safe(), x.select(-3, 2).Safe());
        var fy = (l + 16) / 116;
        var fx = fy + a / 500;
        var fz = (fy - b / 200).ClampMin(0);
        var f = stack(new Tensor[] { fx, fy, fz }, dim: -3).Safe();
        var xyz = where(f > 0.2068966, f.Pow(3), (f - Offset) / Kappa);                  // [..., 3, H, W], / white
        var inv = new float[9];
        for (int i = 0; i < 9; i++) inv[i] = (float)(RgbFromXyz[i / 3, i % 3] * White[i % 3]);
        using var m = tensor(inv, new long[] { 3, 3 }).to(lab.device);
        var lin = einsum("ij,...jhw->...ihw", m, xyz).Safe();
        var srgb = where(lin > 0.0031308, lin.ClampMin(1e-12).Pow(1 / 2.4) * 1.055 - 0.055, lin * 12.92).Safe();
        return srgb.Clamp(0, 1).Tensor.MoveToOuterDisposeScope();
    }

    static double[,] Invert3(double[,] m)
    {
        double a = m[0, 0], b = m[0, 1], c = m[0, 2], d = m[1, 0], e = m[1, 1], f = m[1, 2], g = m[2, 0], h = m[2, 1], k = m[2, 2];
        double det = a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g);
        return new[,]
        {
            { (e * k - f * h) / det, (c * h - b * k) / det, (b * f - c * e) / det },
            { (f * g - d * k) / det, (a * k - c * g) / det, (c * d - a * f) / det },
            { (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det },
        };
    }
}
