using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Propagation;

/// <summary>
/// The learning-free reference encoder: each grid cell's embedding is the mean CIE Lab colour of
/// its pixels. To make the propagator's dot product a colour *distance*, the Lab vector (in units of
/// 10 Lab) is lifted onto a sphere, f = [L, a, b, sqrt(c - |Lab|^2)] / 10 with c the largest |Lab|^2:
/// every f then has the same norm, so f_i . f_j = const - |f_i - f_j|^2 / 2 and the softmax over
/// f_i . f_j / T is a Gaussian kernel exp(-|f_i - f_j|^2 / 2T) on (lifted) colour distance.
/// </summary>
public sealed class PixelLabEncoder(int stride = 8) : IFrameEncoder
{
    // |Lab|^2 / 100 is at most 1^2*100 + 2 * 12.8^2 (L <= 100, |a|, |b| <= 128) ~ 428.
    const double SphereRadiusSquared = 430.0;

    public string Name => "pixels";
    public int Stride { get; } = stride >= 1 ? stride : throw new ArgumentException($"stride must be >= 1 (got {stride})");
    public int Dim => 4;

    public Tensor Encode(Tensor frames)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var lab = SrgbToLab(frames.to(float32));                               // [T, 3, H, W]
        var cells = nn.functional.avg_pool2d(LabelGrid.PadToStride(lab, Stride), Stride, Stride) / 10; // [T, 3, h, w]
        var lift = (SphereRadiusSquared - cells.square().sum(1, keepdim: true)).clamp_min(0).sqrt();    // [T, 1, h, w]
        return cat([cells, lift], 1).MoveToOuterDisposeScope();                           // [T, 4, h, w]
    }

    /// <summary>sRGB in [0, 1] [T, 3, H, W] -> CIE Lab (D65) [T, 3, H, W]: L in [0, 100], a and b about [-128, 127].</summary>
    internal static Tensor SrgbToLab(Tensor rgb)
    {
        var linear = where(rgb.le(0.04045), rgb / 12.92, ((rgb + 0.055) / 1.055).pow(2.4));
        var m = tensor(new float[]
        {
            0.412453f, 0.357580f, 0.180423f,
            0.212671f, 0.715160f, 0.072169f,
            0.019334f, 0.119193f, 0.950227f,
        }).view(3, 3);
        var xyz = einsum("ij,tjhw->tihw", m, linear);                             // [T, 3, H, W]
        var white = tensor(new float[] { 0.950456f, 1f, 1.088754f }).view(1, 3, 1, 1);
        var t = xyz / white;
        const double eps = 216.0 / 24389.0, kappa = 24389.0 / 27.0;
        var f = where(t.gt(eps), t.clamp_min(eps).pow(1.0 / 3), (kappa * t + 16) / 116);
        var fx = f[.., 0]; var fy = f[.., 1]; var fz = f[.., 2];
        return stack([116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)], 1);
    }

    public void Dispose() { } // no weights
}
