using System.Diagnostics;
using ColorTrack.Contracts;
using ColorTrack.Datasets;
using ColorTrack.Imaging;
using ColorTrack.Model;
using ColorTrack.Propagation;
using ColorTrack.Video;
using static TorchSharp.torch;

namespace ColorTrack.Evaluation;

/// <summary>
/// Validation during training: tracks the first-frame masks of a fixed set of DAVIS sequences with
/// the model being trained (its current weights, the given propagation options, frames resized by
/// <see cref="Scale"/>) and scores them with the official protocol on the first <see cref="Frames"/>
/// frames of each sequence (0: all of them). Frames and first labels are loaded once; a score costs
/// only the embedding and the propagation. The numbers are those <c>track</c> + <c>eval-davis</c> would give
/// for the same frames, settings and scale.
/// </summary>
public sealed class DavisValidator : ITrainingValidator
{
    readonly List<Item> _items = [];
    readonly PropagationSettings _settings;

    sealed record Item(DavisSequence Truth, Tensor[] Frames, Tensor FirstLabels, byte[] Categories, int Height, int Width);

    public double Scale { get; }
    public int Frames { get; }
    public string Description { get; }

    /// <param name="sequences">DAVIS sequences (truth and frames, see <see cref="DavisDataset"/>).</param>
    /// <param name="frames">Frames per sequence (the first one gives the labels; at least 3), or 0 for every frame.</param>
    /// <param name="scale">Resize factor of the frames before tracking (the model's tracking scale).</param>
    /// <param name="settings">Propagation options (those the model will track with).</param>
    public DavisValidator(IReadOnlyList<DavisSequence> sequences, int frames, double scale, PropagationSettings settings)
    {
        if (frames is not 0 and < 3) throw new ArgumentException($"validation needs at least 3 frames per sequence, or 0 for all (got {frames})");
        if (!(scale > 0 && scale <= 4)) throw new ArgumentException($"validation scale must be in (0, 4] (got {scale})");
        settings.Validate();
        (Scale, Frames, _settings) = (scale, frames, settings);
        foreach (var seq in sequences)
        {
            var truth = frames == 0 ? seq : seq with { Frames = seq.Frames.Take(frames).ToList() };
            using var source = FrameSources.Open(seq.FramesOrThrow());
            var first = MaskPng.Read(seq.MaskPath(seq.Frames[0]));
            SegmentTracking.CheckSize(first, seq.MaskPath(seq.Frames[0]), source);
            var categories = SegmentTracking.Categories(first, seq.MaskPath(seq.Frames[0]));
            var (h, w) = Scaled(first.Height, first.Width);
            var tensors = source.Frames().Take(truth.Frames.Count).Select(f => { using var full = FrameTensors.From(f); return Resize(full, h, w); }).ToArray();
            using var labels = SegmentTracking.OneHot(first, categories);
            _items.Add(new Item(truth, tensors, Resize(labels, h, w), categories, first.Height, first.Width));
        }
        Description = frames == 0
            ? $"{_items.Count} DAVIS sequences, all {_items.Sum(i => i.Truth.Frames.Count)} frames, at scale {scale:0.##}"
            : $"{_items.Count} DAVIS sequences x {frames} frames at scale {scale:0.##}";
    }

    (long H, long W) Scaled(int height, int width) =>
        (Math.Max(8, (long)Math.Round(height * Scale / 8) * 8), Math.Max(8, (long)Math.Round(width * Scale / 8) * 8));

    static Tensor Resize(Tensor x, long h, long w)
    {
        using var scope = NewDisposeScope();
        var shrink = h < x.shape[1] && w < x.shape[2];
        var y = nn.functional.interpolate(x.unsqueeze(0).to(float32), [h, w], mode: shrink ? InterpolationMode.Area : InterpolationMode.Bilinear, align_corners: shrink ? null : false)[0];
        return y.MoveToOuterDisposeScope();
    }

    public ValidationScore Score(ColorizationModel model, CancellationToken cancel)
    {
        using var factory = new TrackerFactory();
        return Score(factory.Create(model, _settings), cancel);
    }

    /// <summary>Any tracker on the same frames at the same scale (e.g. identity or the pixel pointer, as reference lines).</summary>
    public ValidationScore Score(ILabelTracker tracker, CancellationToken cancel = default)
    {
        var sw = Stopwatch.StartNew();
        var evaluation = Evaluate(tracker, cancel);
        return new ValidationScore(evaluation.JAndFMean, evaluation.J.Mean, evaluation.F.Mean, sw.Elapsed.TotalSeconds);
    }

    /// <summary>The whole evaluation behind <see cref="Score(ILabelTracker, CancellationToken)"/>: every object's J and F per frame.</summary>
    public DavisEvaluation Evaluate(ILabelTracker tracker, CancellationToken cancel = default)
    {
        var predictions = new Dictionary<(string, string), IndexedMask>();
        foreach (var item in _items)
        {
            cancel.ThrowIfCancellationRequested();
            int index = 0;
            foreach (var soft in tracker.Track(item.Frames.Select(f => f.clone()), item.FirstLabels))
            {
                using var scope = NewDisposeScope();
                using var _ = soft;
                var full = Resize(soft, item.Height, item.Width);                        // [C, H, W]
                predictions[(item.Truth.Name, item.Truth.Frames[++index])] = SegmentTracking.Decide(full, item.Categories);
            }
        }
        return DavisEvaluator.Evaluate(_items.Select(i => i.Truth).ToList(), (seq, frame) => predictions[(seq.Name, frame)]);
    }
}
