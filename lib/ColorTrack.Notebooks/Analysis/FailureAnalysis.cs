using ColorTrack.Color;
using ColorTrack.Imaging;
using ColorTrack.Model;
using ColorTrack.Evaluation;
using ColorTrack.Propagation;
using ColorTrack.Video;
using static TorchSharp.torch;

namespace ColorTrack.Analysis;

/// <summary>
/// Are tracking failures colorization failures? (Section 4.5.) For every location of every target
/// frame, one pointer — A_ij from the previous frame — both copies a colour bin and copies an object
/// label. We count the 2x2 table (colour right/wrong x label right/wrong) and its odds ratio
/// (both wrong x both right) / (one wrong x other wrong): well above 1 means that when the model
/// fails to colour a location it tends to fail to track it too.
/// </summary>
public static class FailureAnalysis
{
    public sealed record Table(long BothRight, long ColourWrongOnly, long LabelWrongOnly, long BothWrong)
    {
        public long Total => BothRight + ColourWrongOnly + LabelWrongOnly + BothWrong;
        /// <summary>Odds ratio with +0.5 in every cell (Haldane), so an empty cell does not give 0 or infinity.</summary>
        public double OddsRatio => (BothWrong + 0.5) * (BothRight + 0.5) / ((ColourWrongOnly + 0.5) * (LabelWrongOnly + 0.5));
        public double PLabelWrongGivenColourWrong => (double)BothWrong / Math.Max(1, BothWrong + ColourWrongOnly);
        public double PLabelWrongGivenColourRight => (double)LabelWrongOnly / Math.Max(1, LabelWrongOnly + BothRight);
        public Table Add(Table o) => new(BothRight + o.BothRight, ColourWrongOnly + o.ColourWrongOnly, LabelWrongOnly + o.LabelWrongOnly, BothWrong + o.BothWrong);
    }

    /// <summary>The table over consecutive frame pairs of one video with its true masks (frames a multiple of the model's stride).</summary>
    public static Table Count(ColorizationModel model, KMeansColorQuantizer bins, IReadOnlyList<VideoFrame> frames, IReadOnlyList<IndexedMask> masks, PropagationSettings? settings = null) =>
        PerFrame(model, bins, frames, masks, settings).Aggregate(new Table(0, 0, 0, 0), (a, b) => a.Add(b));

    /// <summary>
    /// One table per target frame (frames 1..T-1, each pointing into the frame before it). The pointer
    /// uses <paramref name="settings"/>' temperature, top-k and L2 normalisation (null: training's,
    /// T = 1, dense) for both the colour and the label, so the two copies are one pointer's.
    /// </summary>
    public static IReadOnlyList<Table> PerFrame(ColorizationModel model, KMeansColorQuantizer bins, IReadOnlyList<VideoFrame> frames, IReadOnlyList<IndexedMask> masks, PropagationSettings? settings = null)
    {
        using var scope = NewDisposeScope();
        int s = model.Stride, W = frames[0].Width, H = frames[0].Height, w = W / s, h = H / s;
        var lab = stack(frames.Select(f => tensor(LabColor.RgbToLab(f.Rgb), [3, H, W])).ToArray());  // [T, 3, H, W]
        var emb = model.Embed(model.InputFromLab(lab));                                               // [T, D, h, w], as the model tracks
        if (settings?.L2Normalize == true) emb = nn.functional.normalize(emb, dim: 1);
        var trueBins = bins.Bins(nn.functional.avg_pool2d(lab.narrow(1, 1, 2), s));                   // [T, h, w]
        var labels = stack(masks.Select(m => tensor(m.Ids, [H, W])).ToArray())                        // [T, H, W] uint8
            .to(int64).unsqueeze(1).to(float32);
        var cellLabels = nn.functional.interpolate(labels, [h, w], mode: InterpolationMode.Nearest).squeeze(1).to(int64); // [T, h, w]
        int classes = (int)cellLabels.max().item<long>() + 1;
        long d = emb.shape[1];
        double temperature = settings?.Temperature ?? 1.0;
        int topK = settings?.TopK ?? 0;

        var tables = new List<Table>();
        for (int t = 1; t < frames.Count; t++)
        {
            using var step = NewDisposeScope();
            var refE = emb[t - 1].reshape(d, h * w).T;                                                // [N, D]
            var tgtE = emb[t].reshape(d, h * w).T;                                                    // [M, D]
            var values = cat([nn.functional.one_hot(trueBins[t - 1].reshape(h * w), bins.K),
                              nn.functional.one_hot(cellLabels[t - 1].reshape(h * w), classes)], 1).to(float32); // [N, K + classes]
            var y = SparsePointer.Copy(refE, values, tgtE, temperature, topK: topK);                        // [M, K + classes]: one pointer, both copies
            var colour = y.narrow(1, 0, bins.K).argmax(-1);                                          // [M]
            var label = y.narrow(1, bins.K, classes).argmax(-1);                                     // [M]
            var colourWrong = colour.ne(trueBins[t].reshape(h * w));
            var labelWrong = label.ne(cellLabels[t].reshape(h * w));
            long Count(Tensor m) => m.sum().item<long>();
            tables.Add(new Table(
                Count(colourWrong.logical_not().logical_and(labelWrong.logical_not())),
                Count(colourWrong.logical_and(labelWrong.logical_not())),
                Count(colourWrong.logical_not().logical_and(labelWrong)),
                Count(colourWrong.logical_and(labelWrong))));
        }
        return tables;
    }

    /// <summary>
    /// A 95 % interval for the odds ratio of the summed table, by resampling whole frames (the
    /// locations of one frame are not independent: a bad frame fails many of them together).
    /// </summary>
    public static (double Low, double High) OddsRatioInterval(IReadOnlyList<Table> perFrame, int resamples = 2000, int seed = 0) =>
        Bootstrap.Interval(perFrame, draw => draw.Aggregate(new Table(0, 0, 0, 0), (a, b) => a.Add(b)).OddsRatio, resamples, seed);
}
