using ColorTrack.Color;
using ColorTrack.Model;
using ColorTrack.Training;
using ColorTrack.Video;
using TorchSharp;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;

namespace ColorTrack.Analysis;

/// <summary>
/// The task the model is trained on, as a picture (Figure 4): colour a gray target frame by pointing
/// into a colourful reference frame and copying the pointed-at colour bins (equations 1-2), then
/// show the predicted chroma on the target's own lightness.
/// </summary>
public static class Colorizer
{
    /// <param name="Colorized">The target with the copied colours (its own L, predicted ab).</param>
    /// <param name="Pointers">For each target feature location (row-major, h x w), the reference location it copies most from.</param>
    /// <param name="FeatureWidth">w of the feature grid.</param>
    /// <param name="FeatureHeight">h of the feature grid.</param>
    public sealed record Result(VideoFrame Colorized, int[] Pointers, int FeatureWidth, int FeatureHeight);

    public static Result Colorize(ColorizationModel model, KMeansColorQuantizer bins, VideoFrame reference, VideoFrame target, double temperature = 1.0)
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
        var d = emb.shape[1];
        var refEmb = emb[0].reshape(d, h * w).T.unsqueeze(0);               // [1, N, D]
        var tgtEmb = emb[1].reshape(d, h * w).T.unsqueeze(0);               // [1, M, D]

        // Reference colour bins at feature resolution: area-average ab, then quantize.
        var abRef = nn.functional.avg_pool2d(labRef.narrow(0, 1, 2).unsqueeze(0), stride)[0];  // [2, h, w]
        var refBins = bins.Bins(abRef).reshape(1, h * w);                   // [1, N] int64

        var y = ColorizationObjective.PredictColors(refEmb, refBins, tgtEmb, bins.K, temperature); // [1, M, K]
        var predicted = y[0].argmax(-1);                                     // [M]
        var centroids = bins.CentroidTensor();                               // [K, 2]
        var ab = centroids.index_select(0, predicted).T.reshape(1, 2, h, w);  // [1, 2, h, w]
        var abFull = nn.functional.interpolate(ab, [H, W], mode: InterpolationMode.Bilinear, align_corners: false)[0]; // [2, H, W]
        var lab = cat([labTgt.narrow(0, 0, 1), abFull]);                   // [3, H, W]
        var rgb = (LabColor.LabToRgb(lab).clamp(S(0), S(1)) * S(255)).round().to_type(ScalarType.Byte).permute(1, 2, 0).contiguous();

        var affinity = bmm(tgtEmb, refEmb.transpose(1, 2))[0];              // [M, N]
        var pointers = affinity.argmax(-1).to_type(ScalarType.Int32).data<int>().ToArray();
        return new Result(target with { Rgb = rgb.data<byte>().ToArray() }, pointers, w, h);
    }

    static Tensor LabTensor(VideoFrame f)
    {
        var lab = LabColor.RgbToLab(f.Rgb);                                  // planar [3, H, W]
        return tensor(lab, [3, f.Height, f.Width]);
    }
}
