using ColorTrack.Color;
using ColorTrack.Model;
using ColorTrack.Propagation;
using ColorTrack.Runtime;
using ColorTrack.Video;
using TorchSharp;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;

namespace ColorTrack.Analysis;

/// <summary>
/// The task the model is trained on, as a picture (Figure 4): colour a gray target frame by pointing
/// into a colourful reference frame and copying the pointed-at colour bins (equations 1-2), then
/// show the predicted chroma on the target's own lightness. With the options the model tracks with
/// (temperature, top-k, radius, L2 normalisation) the picture shows the pointer that tracks; without,
/// the training-time pointer (T = 1, dense), whose near-flat softmax washes the colours out.
/// Alongside, how often the copied bin is right at a feature cell, against copying the bin of the
/// same place in the reference (what a model that does not track would get).
/// </summary>
public static class Colorizer
{
    /// <param name="Colorized">The target with the copied colours (its own L, predicted ab).</param>
    /// <param name="Pointers">For each target feature location (row-major, h x w), the reference location it copies most from.</param>
    /// <param name="FeatureWidth">w of the feature grid.</param>
    /// <param name="FeatureHeight">h of the feature grid.</param>
    /// <param name="CopiedRight">Share of target cells whose copied bin (the argmax of y_j) is the target's true bin.</param>
    /// <param name="SamePlaceRight">Share of target cells whose true bin is the reference's bin at the same cell.</param>
    public sealed record Result(VideoFrame Colorized, int[] Pointers, int FeatureWidth, int FeatureHeight, double CopiedRight, double SamePlaceRight);

    /// <summary>Colour <paramref name="target"/> (shown gray to the model) from <paramref name="reference"/> with the model's pointer and its colour <paramref name="bins"/>.</summary>
    /// <param name="model">A trained colorization model.</param>
    /// <param name="bins">The model's colour bins.</param>
    /// <param name="reference">The colourful reference frame.</param>
    /// <param name="target">The target (its colour is hidden from the model; it is the truth scored against).</param>
    /// <param name="settings">The pointer's options (temperature, top-k, radius, L2 normalisation; the
    /// window and memory do not apply to one reference); null = training's pointer (T = 1, dense).</param>
    public static Result Colorize(ColorizationModel model, KMeansColorQuantizer bins, VideoFrame reference, VideoFrame target, PropagationSettings? settings = null)
    {
        if (reference.Width != target.Width || reference.Height != target.Height)
            throw new ArgumentException("reference and target must have the same size");
        using var scope = NewDisposeScope();
        int stride = model.Stride, W = target.Width, H = target.Height;
        if (W % stride != 0 || H % stride != 0)
            throw new ArgumentException($"frame size {W}x{H} must be a multiple of the model's stride {stride}");
        int w = W / stride, h = H / stride;

        var labRef = LabTensor(reference);                                   // [3, H, W]
        var labTgt = LabTensor(target);
        // The reference as the model sees it; the target without its colour (gray), which it must colour by pointing.
        var input = cat([model.InputFromLab(labRef.unsqueeze(0)), model.InputFromLab(labTgt.unsqueeze(0), hideColour: true)]); // [2, C, H, W]
        var emb = model.Embed(input);                                        // [2, D, h, w]
        if (settings?.L2Normalize == true) emb = nn.functional.normalize(emb, dim: 1);
        var d = emb.shape[1];
        var refEmb = emb[0].reshape(d, h * w).T;                             // [N, D]
        var tgtEmb = emb[1].reshape(d, h * w).T;                             // [M, D]

        // Colour bins at feature resolution: area-average ab, then quantize.
        var refBins = bins.Bins(nn.functional.avg_pool2d(labRef.narrow(0, 1, 2).unsqueeze(0), stride)[0]).reshape(h * w); // [N] int64
        var tgtBins = bins.Bins(nn.functional.avg_pool2d(labTgt.narrow(0, 1, 2).unsqueeze(0), stride)[0]).reshape(h * w); // [M]

        var allowed = settings is { Radius: > 0 } ? WithinRadius(h, w, settings.Radius) : null;   // [M, N] or none
        var oneHot = nn.functional.one_hot(refBins, bins.K).to(float32);     // [N, K]
        var y = SparsePointer.Copy(refEmb, oneHot, tgtEmb, settings?.Temperature ?? 1.0, allowed, settings?.TopK ?? 0); // [M, K]
        var predicted = y.argmax(-1);                                        // [M]
        double copiedRight = predicted.eq(tgtBins).to(float32).mean().item<float>();
        double samePlaceRight = refBins.eq(tgtBins).to(float32).mean().item<float>();

        var centroids = bins.CentroidTensor();                               // [K, 2]
        var ab = centroids.index_select(0, predicted).T.reshape(1, 2, h, w);  // [1, 2, h, w]
        var abFull = nn.functional.interpolate(ab, [H, W], mode: InterpolationMode.Bilinear, align_corners: false)[0]; // [2, H, W]
        var lab = cat([labTgt.narrow(0, 0, 1), abFull]);                   // [3, H, W]
        var rgb = (LabColor.LabToRgb(lab).clamp(S(0), S(1)) * S(255)).round().to_type(ScalarType.Byte).permute(1, 2, 0).contiguous();

        var affinity = tgtEmb.matmul(refEmb.T);                              // [M, N]
        if (allowed is not null) affinity = affinity.masked_fill(allowed.logical_not(), S(double.NegativeInfinity));
        var pointers = affinity.argmax(-1).to_type(ScalarType.Int32).data<int>().ToArray();
        return new Result(target with { Rgb = rgb.data<byte>().ToArray() }, pointers, w, h, copiedRight, samePlaceRight);
    }

    /// <summary>[M, N] bool: target cell j may point to reference cell i (Euclidean distance in cells at most r).</summary>
    static Tensor WithinRadius(int h, int w, double r)
    {
        var ys = Scalars.Range(0, h * w).div(I(w), rounding_mode: RoundingMode.floor).to(float32); // [h*w]
        var xs = Scalars.Range(0, h * w).remainder(I(w)).to(float32);
        var d2 = ys.unsqueeze(1).Plus(ys.unsqueeze(0).neg()).Squared().Plus(xs.unsqueeze(1).Plus(xs.unsqueeze(0).neg()).Squared()); // [M, N]
        return d2.le(S(r * r));
    }

    static Tensor LabTensor(VideoFrame f)
    {
        var lab = LabColor.RgbToLab(f.Rgb);                                  // planar [3, H, W]
        return tensor(lab, [3, f.Height, f.Width]);
    }
}
