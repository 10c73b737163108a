using ColorTrack.Color;
using TorchSharp;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;

namespace ColorTrack.Propagation;

/// <summary>
/// The learning-free reference encoder: each grid cell's embedding is the mean CIE Lab colour of
/// its pixels. To make the propagator's dot product a colour *distance*, the Lab vector (in units of
/// 10 Lab) is lifted onto a sphere, f = [L, a, b, sqrt(c - |Lab|^2)] / 10 with c the largest |Lab|^2:
/// every f then has the same norm, so f_i . f_j = const - |f_i - f_j|^2 / 2 and the pointer over
/// f_i . f_j / T is a Gaussian kernel exp(-|f_i - f_j|^2 / 2T) on (lifted) colour distance.
/// </summary>
public sealed class PixelLabEncoder(int stride = 8) : IFrameEncoder
{
    // |Lab|^2 / 100 is at most 1^2*100 + 2 * 12.8^2 (L <= 100, |a|, |b| <= 128) ~ 428.
    const double SphereRadiusSquared = 430.0;

    /// <summary>
    /// Options for raw colour: <see cref="PropagationSettings.Best"/> without L2 normalisation (the
    /// lifted colours all have the same norm already), the temperature in (Lab/10)^2 units.
    /// </summary>
    public static PropagationSettings BestSettings { get; } = PropagationSettings.Best with { L2Normalize = false, Temperature = 0.5 };

    public string Name => "pixels";
    public int Stride { get; } = stride >= 1 ? stride : throw new ArgumentException($"stride must be >= 1 (got {stride})");
    public int Dim => 4;

    public Tensor Encode(Tensor frames)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var lab = LabColor.RgbToLab(frames);                               // [T, 3, H, W]
        var cells = nn.functional.avg_pool2d(LabelGrid.PadToStride(lab, Stride), Stride, Stride).Safe() / 10; // [T, 3, h, w]
        var lift = (SphereRadiusSquared - cells.Squared().Sum(1, keepdim: true)).ClampMin(0).Sqrt(); // [T, 1, h, w], sqrt(r² - |c|²)
        return cat([cells, lift], 1).MoveToOuterDisposeScope();                           // [T, 4, h, w]
    }

    public void Dispose() { } // no weights
}
