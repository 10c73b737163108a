using ColorTrack.Contracts;
using static TorchSharp.torch;

namespace ColorTrack.Propagation;

/// <summary>
/// Runs a tracker at another scale and returns labels at the original resolution.
///
/// Why: an encoder learns features at the scale it was trained at (a model trained on 64-pixel
/// clips sees objects at that size); shown frames twice as large, its pointers lose their locality.
/// Frames and first-frame labels are resized (area averaging when shrinking) to
/// <paramref name="scale"/> x the original size, rounded to a multiple of <paramref name="multiple"/>
/// (the encoder's stride); the soft labels come back bilinearly up-sampled to full size. With
/// <paramref name="referenceShortSide"/>, the scale is relative to that short side instead of the
/// clip's (<see cref="EffectiveScale"/>): every clip is tracked at about the same working size.
/// </summary>
public sealed class RescaledTracker(ILabelTracker inner, double scale, int multiple = 8, int? referenceShortSide = null) : ILabelTracker, IEstimatesCost, IDisposable
{
    public string Name => referenceShortSide is { } r ? $"{inner.Name}@{scale * r:0}px" : $"{inner.Name}@{scale:0.##}x";
    public ILabelTracker Inner => inner;

    /// <summary>
    /// The factor frames of <paramref name="height"/> x <paramref name="width"/> are resized by: <paramref name="scale"/>,
    /// or with a reference short side, scale x reference / the clip's short side, never above 1 (no enlarging).
    /// </summary>
    public static double EffectiveScale(double scale, int? referenceShortSide, long height, long width) =>
        referenceShortSide is { } r ? Math.Min(1.0, scale * r / Math.Min(height, width)) : scale;

    /// <summary>The working size, (height, width) in pixels, frames of that size are tracked at.</summary>
    public (long Height, long Width) WorkingSize(long height, long width)
    {
        double f = EffectiveScale(scale, referenceShortSide, height, width);
        return (Math.Max(multiple, (long)Math.Round(height * f / multiple) * multiple), Math.Max(multiple, (long)Math.Round(width * f / multiple) * multiple));
    }

    /// <summary>The inner tracker's cost at the working size (NaN when it cannot say).</summary>
    public double SecondsPerFrame(int height, int width)
    {
        var (h, w) = WorkingSize(height, width);
        return inner is IEstimatesCost e ? e.SecondsPerFrame((int)h, (int)w) : double.NaN;
    }

    public IEnumerable<Tensor> Track(IEnumerable<Tensor> frames, Tensor firstLabels)
    {
        long H = firstLabels.shape[1], W = firstLabels.shape[2];
        var (h, w) = WorkingSize(H, W);
        using var small = Resize(firstLabels, h, w);                               // [C, h, w]
        foreach (var soft in inner.Track(frames.Select(f => { using (f) return Resize(f, h, w); }), small))
            using (soft)
                yield return Resize(soft, H, W);                                  // [C, H, W]
    }

    /// <summary>Frames or labels [C, H, W] at [C, h, w], as this tracker resizes them (area when shrinking, else bilinear; a copy when the size is the same).</summary>
    public static Tensor Resize(Tensor x, long h, long w)
    {
        if (x.shape[1] == h && x.shape[2] == w) return x.clone();
        using var scope = NewDisposeScope();
        var shrink = h < x.shape[1] && w < x.shape[2];
        var mode = shrink ? InterpolationMode.Area : InterpolationMode.Bilinear;
        var y = nn.functional.interpolate(x.unsqueeze(0).to(float32), [h, w], mode: mode, align_corners: shrink ? null : false)[0];
        return y.MoveToOuterDisposeScope();
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();
}
