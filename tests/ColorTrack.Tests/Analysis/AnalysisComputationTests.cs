using ColorTrack.Analysis;
using ColorTrack.Color;
using ColorTrack.Imaging;
using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Video;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Analysis;

/// <summary>The computations behind the notebooks' pictures: nearest neighbours, PCA colours, failure odds.</summary>
public class AnalysisComputationTests
{
    public AnalysisComputationTests() { TorchRuntime.EnsureLoaded(); manual_seed(5); }

    [Fact]
    public void NearestNeighbours_FollowsAPatternThatShifts()
    {
        // Frame k is frame 0 rolled k cells to the right: the query cell's twin is k cells right, similarity 1.
        using var scope = NewDisposeScope();
        var f0 = randn(16, 6, 10);                                                // [D, h, w]
        var video = stack(Enumerable.Range(0, 4).Select(k => f0.roll(k, 2)).ToArray()); // [T, D, h, w]
        var path = NearestNeighbours.Follow(video, x: 2, y: 3);
        Assert.Equal(4, path.Count);
        for (int k = 0; k < 4; k++)
        {
            Assert.Equal((2 + k, 3), (path[k].X, path[k].Y));
            Assert.Equal(1.0, path[k].Similarity, 4);
        }
    }

    [Fact]
    public void EmbeddingPca_MapsTheMainDirectionToRed_Monotonically()
    {
        // Embeddings that vary along one direction only, with x: the first principal component is x,
        // so red runs monotonically along each row (either way: a component's sign is arbitrary) and
        // does not change down a column.
        using var scope = NewDisposeScope();
        var direction = randn(8);                                                        // [D]
        var x = linspace(-1, 1, 12).view(1, 1, 12).expand(2, 5, 12);                     // [T, h, w]
        var emb = (direction.view(1, 8, 1, 1) * x.unsqueeze(1)) + randn(2, 8, 5, 12) * Scalars.S(1e-3); // [T, D, h, w]
        var frames = EmbeddingPca.ToRgb(emb, width: 24, height: 10);                     // nearest up-sampling x2
        Assert.Equal(2, frames.Count);
        Assert.All(frames, f => Assert.Equal((24, 10), (f.Width, f.Height)));
        byte Red(VideoFrame f, int px, int py) => f.Rgb[3 * (py * f.Width + px)];
        var row = Enumerable.Range(0, 12).Select(cx => (int)Red(frames[0], 2 * cx, 4)).ToArray();
        var steps = row.Zip(row.Skip(1), (a, b) => Math.Sign(b - a)).Where(s => s != 0).Distinct().ToArray();
        Assert.Single(steps);                                                            // monotone
        Assert.True(Math.Abs(row[^1] - row[0]) > 200, $"red spans {row[0]}..{row[^1]}");  // 2nd..98th percentile stretched to 0..255
        for (int py = 0; py < 10; py++) Assert.InRange(Red(frames[0], 6, py) - Red(frames[0], 6, 0), -1, 1); // the noise may round a level
    }

    [Fact]
    public void FailureTable_OddsAndConditionalRates_AreTheTextbookOnes()
    {
        var t = new FailureAnalysis.Table(BothRight: 90, ColourWrongOnly: 10, LabelWrongOnly: 5, BothWrong: 5);
        Assert.Equal(110, t.Total);
        Assert.Equal(5.5 * 90.5 / (10.5 * 5.5), t.OddsRatio, 12);                       // Haldane-corrected odds ratio
        Assert.Equal(5.0 / 15, t.PLabelWrongGivenColourWrong, 12);
        Assert.Equal(5.0 / 95, t.PLabelWrongGivenColourRight, 12);
        Assert.Equal(new FailureAnalysis.Table(180, 20, 10, 10), t.Add(t));
    }

    [Fact]
    public void FailureTable_CountsEveryCellOfEveryFramePair()
    {
        using var scope = NewDisposeScope();
        using var model = new ColorizationModel(ColorizationPreset.Tiny);
        model.eval();
        var rng = new Random(1);
        var frames = Enumerable.Range(0, 3).Select(i =>
        {
            var rgb = new byte[64 * 64 * 3]; rng.NextBytes(rgb);
            return new VideoFrame(i, i, 64, 64, rgb);
        }).ToList();
        var masks = frames.Select(_ => new IndexedMask(64, 64, Enumerable.Range(0, 64 * 64).Select(p => (byte)(p % 64 < 32 ? 1 : 0)).ToArray())).ToList();
        var bins = new KMeansColorQuantizer([-20, -20, 0, 0, 20, 20, 40, -40]);
        var table = FailureAnalysis.Count(model, bins, frames, masks);
        Assert.Equal(2 * 8 * 8, table.Total);                                            // 2 pairs x 8 x 8 cells (stride 8)
    }

    static List<VideoFrame> RandomFrames(int count, int side, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(i => { var rgb = new byte[side * side * 3]; rng.NextBytes(rgb); return new VideoFrame(i, i, side, side, rgb); }).ToList();
    }

    [Fact]
    public void Colorizer_WithTheTrackingPointer_CopiesItsOwnColoursFromAnIdenticalReference()
    {
        // Reference = target, and a per-frame model (the cpu preset: no temporal mixing, no coordinates), so
        // both frames embed alike: every cell's most similar reference cell (cosine, top-1) is itself, the
        // copied bin is right everywhere, and copying the same place is right everywhere too.
        using var scope = NewDisposeScope();
        using var model = new ColorizationModel(ColorizationPreset.Cpu);
        model.eval();
        var frame = RandomFrames(1, 64, 3)[0];
        var bins = new KMeansColorQuantizer([-20, -20, 0, 0, 20, 20, 40, -40]);
        var sharp = ColorTrack.Propagation.PropagationSettings.Best with { TopK = 1, Radius = 0 };
        var r = Colorizer.Colorize(model, bins, frame, frame, sharp);
        Assert.Equal(1.0, r.SamePlaceRight, 6);
        Assert.Equal(1.0, r.CopiedRight, 6);
        Assert.Equal(Enumerable.Range(0, r.FeatureWidth * r.FeatureHeight), r.Pointers);
        // With a radius the pointer stays within it.
        var near = Colorizer.Colorize(model, bins, frame, RandomFrames(2, 64, 4)[1], ColorTrack.Propagation.PropagationSettings.Best with { Radius = 1.5 });
        for (int j = 0; j < near.Pointers.Length; j++)
            Assert.True(Math.Abs(near.Pointers[j] % near.FeatureWidth - j % near.FeatureWidth) <= 1 && Math.Abs(near.Pointers[j] / near.FeatureWidth - j / near.FeatureWidth) <= 1, $"cell {j} points to {near.Pointers[j]}");
    }

    [Fact]
    public void FailureTable_PerFrameSumsToTheTotal_AndItsIntervalBracketsTheOddsRatio()
    {
        using var scope = NewDisposeScope();
        using var model = new ColorizationModel(ColorizationPreset.Tiny);
        model.eval();
        var frames = RandomFrames(6, 64, 1);
        var masks = frames.Select((_, t) => new IndexedMask(64, 64, Enumerable.Range(0, 64 * 64).Select(p => (byte)((p % 64 + 4 * t) % 64 < 32 ? 1 : 0)).ToArray())).ToList();
        var bins = new KMeansColorQuantizer([-20, -20, 0, 0, 20, 20, 40, -40]);
        var perFrame = FailureAnalysis.PerFrame(model, bins, frames, masks, ColorTrack.Propagation.PropagationSettings.Best);
        Assert.Equal(5, perFrame.Count);
        Assert.All(perFrame, t => Assert.Equal(64, t.Total));
        var total = perFrame.Aggregate(new FailureAnalysis.Table(0, 0, 0, 0), (a, b) => a.Add(b));
        var (lo, hi) = FailureAnalysis.OddsRatioInterval(perFrame);
        Assert.True(lo <= total.OddsRatio && total.OddsRatio <= hi, $"{lo} <= {total.OddsRatio} <= {hi}");
        Assert.Equal((lo, hi), FailureAnalysis.OddsRatioInterval(perFrame)); // seeded
    }

    [Fact]
    public void Bootstrap_IntervalOfAMean_ShrinksWithMoreUnitsAndNeedsTwo()
    {
        static double Mean(IReadOnlyList<double> v) => v.Average();
        var rng = new Random(2);
        var few = Enumerable.Range(0, 5).Select(_ => rng.NextDouble()).ToList();
        var many = Enumerable.Range(0, 500).Select(_ => rng.NextDouble()).ToList();
        var (a, b) = ColorTrack.Evaluation.Bootstrap.Interval(few, Mean);
        var (c, d) = ColorTrack.Evaluation.Bootstrap.Interval(many, Mean);
        Assert.True(a < few.Average() && few.Average() < b);
        Assert.True(c < 0.5 && 0.5 < d, $"[{c}, {d}]");     // uniform(0, 1): the mean is 0.5
        Assert.True(d - c < (b - a) / 3);
        Assert.True(double.IsNaN(ColorTrack.Evaluation.Bootstrap.Interval([1.0], Mean).Low));
    }
}
