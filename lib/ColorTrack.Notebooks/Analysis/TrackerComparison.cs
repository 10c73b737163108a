using System.Globalization;
using ColorTrack.Baselines;
using ColorTrack.Contracts;
using ColorTrack.Datasets;
using ColorTrack.Evaluation;
using ColorTrack.Imaging;
using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Propagation;
using ColorTrack.Synthetic;
using ColorTrack.Video;

namespace ColorTrack.Analysis;

/// <summary>
/// Table 1 and Table 2 in miniature: track every sequence's first-frame mask (and keypoints, where
/// the data set has a Keypoints/&lt;seq&gt;.json) with several trackers, write the results in the
/// DAVIS layout (results/&lt;tracker&gt;/&lt;seq&gt;/00000.png), and score them with the DAVIS
/// evaluator and PCK.
/// </summary>
/// <param name="framesRoot">A DAVIS-layout root (JPEGImages/480p/&lt;seq&gt;/).</param>
/// <param name="sequences">The sequences to track (their Frames may be a prefix of the video).</param>
/// <param name="resultsDir">Where each tracker's masks go.</param>
public sealed class TrackerComparison(string framesRoot, IReadOnlyList<DavisSequence> sequences, string resultsDir)
{
    /// <summary>
    /// A tracker to compare: display name, results folder name, and what tracker it is; <see cref="KeypointSpec"/>,
    /// when set, is the tracker its keypoints are tracked with instead (e.g. on a finer grid: <see cref="WithKeypointZoom"/>).
    /// </summary>
    public sealed record Entry(string Name, string Folder, TrackerSpec Spec)
    {
        /// <summary>The tracker the keypoints are tracked with; null: <see cref="Spec"/>, as the masks are.</summary>
        public TrackerSpec? KeypointSpec { get; init; }

        /// <summary>
        /// The `colortrack track` options that build this very tracker (what a reader types to reproduce
        /// the row; tests/Analysis/CommandLineAgreementTests runs them and compares the figures).
        /// </summary>
        public IReadOnlyList<string> TrackOptions => TrackOptionsOf(Spec);

        /// <summary>The options that build the row's keypoint tracker (<see cref="TrackOptions"/> unless <see cref="KeypointSpec"/> is set).</summary>
        public IReadOnlyList<string> KeypointTrackOptions => TrackOptionsOf(KeypointSpec ?? Spec);

        /// <summary><see cref="TrackOptions"/> as one line, e.g. "--method flow --scale 0.5".</summary>
        public string CommandLine => string.Join(' ', TrackOptions);

        /// <summary><see cref="KeypointTrackOptions"/> as one line.</summary>
        public string KeypointCommandLine => string.Join(' ', KeypointTrackOptions);
    }

    /// <summary>
    /// The entries with the keypoints of every pointer that searches within a radius (the best options, the model's
    /// and the Lab pixels') tracked on frames enlarged <paramref name="zoom"/> times more than their masks, and the
    /// radius enlarged alike, so that the search covers the same part of the frame on a grid <paramref name="zoom"/>
    /// times finer. A joint is a point, a limb one or two feature cells wide at the masks' size; a mask is a region
    /// that a coarser grid outlines well enough (docs/demo.md measures both). The pointers that attend to the whole
    /// frame (the paper's inference) stay as they are: at <paramref name="zoom"/> 2 they would cost 16 times as much.
    /// </summary>
    public static IReadOnlyList<Entry> WithKeypointZoom(IEnumerable<Entry> entries, double zoom)
    {
        if (!(zoom >= 1)) throw new ArgumentOutOfRangeException(nameof(zoom), zoom, "the keypoints' zoom must be at least 1");
        return entries.Select(e => zoom == 1 || e.Spec.Settings is not { Radius: > 0 } s || e.Spec.Kind is TrackerSpec.Identity or TrackerSpec.Flow ? e
            : e with { KeypointSpec = e.Spec with { Scale = (e.Spec.Scale ?? 1) * zoom, Settings = s with { Radius = s.Radius * zoom } } }).ToList();
    }

    /// <summary>
    /// The paper's comparison: the colorization tracker (paper inference and best options) at its
    /// training scale <paramref name="trackScale"/>; the Lab-pixel pointer with both inferences too
    /// (with the best options it is the strongest learning-free baseline, so a comparison without it
    /// flatters the model), identity and optical flow, at <paramref name="baselineScale"/>
    /// (1 = full resolution; less is cheaper on large frames). The model's "best options" row uses
    /// <paramref name="modelSettings"/> when given (e.g. the shipped model's own), else <see cref="PropagationSettings.Best"/>.
    /// Every row computes in <paramref name="precision"/> by the rule `track --precision` follows (auto:
    /// bf16 for cosine affinities where the CPU has it), and every other option is the one `track`
    /// defaults to: each row is what <see cref="Entry.CommandLine"/> gives at the command line.
    /// </summary>
    public static IReadOnlyList<Entry> Standard(string checkpoint, double trackScale, double baselineScale = 1.0,
        PropagationSettings? modelSettings = null, string precision = ComputePrecision.Auto, double? flowScale = null)
    {
        var model = TrackerSpec.OfCheckpoint(checkpoint) with { Scale = trackScale };
        var pixels = new TrackerSpec(TrackerSpec.Pixels) { Scale = baselineScale };
        return new Entry[]
        {
            new("colorization (paper inference)", "colorization", model with { Settings = PropagationSettings.Paper }),
            new("colorization (best options)", "colorization-best", model with { Settings = modelSettings ?? PropagationSettings.Best }),
            new("pixels (Lab, paper inference)", "pixels", pixels with { Settings = PropagationSettings.Paper }),
            new("pixels (Lab, best options)", "pixels-best", pixels with { Settings = PixelLabEncoder.BestSettings }),
            new("identity", "identity", new TrackerSpec(TrackerSpec.Identity)),
            new("optical flow", "flow", new TrackerSpec(TrackerSpec.Flow) { Scale = flowScale ?? baselineScale }),
        }.Select(e => e with { Spec = e.Spec.WithPrecision(precision) }).ToList();
    }

    /// <summary>
    /// The `colortrack track` options for a spec: the tracker (--checkpoint, --encoder, --method), a scale
    /// other than 1, the propagation settings as the nearest preset plus the options that differ from it,
    /// and the precision where it is not what `--precision auto` (track's default) gives.
    /// </summary>
    public static IReadOnlyList<string> TrackOptionsOf(TrackerSpec spec)
    {
        static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var o = new List<string>();
        switch (spec.Kind)
        {
            case TrackerSpec.ModelKind: // the shipped model by its name: a path into one clone means nothing in another
                o.AddRange(["--checkpoint", spec.Checkpoint is null || ExampleData.IsShipped(spec.Checkpoint) ? ShippedModel.DefaultName : spec.Checkpoint]);
                break;
            case TrackerSpec.ImageNet18: o.AddRange(["--encoder", spec.Kind, "--weights", spec.Weights ?? "?"]); break;
            case TrackerSpec.Pixels:
                o.AddRange(["--encoder", spec.Kind]);
                if (spec.PixelStride != 8) o.AddRange(["--stride", spec.PixelStride.ToString(CultureInfo.InvariantCulture)]);
                break;
            default: o.AddRange(["--method", spec.Kind]); break;
        }
        if (spec.Kind == TrackerSpec.Flow && spec.FlowRecursive != OpticalFlowSettings.Default.Recursive)
            o.AddRange(["--flow-recursive", spec.FlowRecursive ? "true" : "false"]);
        if (spec.ReferenceShortSide is not null)
            throw new ArgumentException("a scale relative to a reference short side has no track option (track --scale multiplies the clip's own size)", nameof(spec));
        if (spec.Scale is double scale && scale != 1.0) o.AddRange(["--scale", N(scale)]);
        if (spec.Settings is not { } s) return o;
        var best = spec.Kind == TrackerSpec.Pixels ? PixelLabEncoder.BestSettings : PropagationSettings.Best;
        var presets = new[] { ("paper", PropagationSettings.Paper), ("best", best), ("crw", PropagationSettings.Crw) };
        var (name, preset) = presets.MinBy(p => Differences(p.Item2, s).Count);
        o.AddRange(["--preset", name]);
        o.AddRange(Differences(preset, s));
        var auto = spec.WithPrecision(ComputePrecision.Auto).Settings!.ComputeType;
        if (s.ComputeType != auto) o.AddRange(["--precision", ComputePrecision.Name(s.ComputeType)]);
        return o;

        static List<string> Differences(PropagationSettings from, PropagationSettings to)
        {
            var d = new List<string>();
            void Add(bool differs, string flag, string value) { if (differs) d.AddRange([flag, value]); }
            static string B(bool b) => b ? "true" : "false";
            Add(from.Temperature != to.Temperature, "--temperature", N(to.Temperature));
            Add(from.Window != to.Window, "--window", to.Window.ToString(CultureInfo.InvariantCulture));
            Add(from.TopK != to.TopK, "--topk", to.TopK.ToString(CultureInfo.InvariantCulture));
            Add(from.Radius != to.Radius, "--radius", N(to.Radius));
            Add(from.LongTermMemory != to.LongTermMemory, "--long-memory", B(to.LongTermMemory));
            Add(from.L2Normalize != to.L2Normalize, "--l2", B(to.L2Normalize));
            Add(from.RadiusSparesFirstFrame != to.RadiusSparesFirstFrame, "--first-frame-everywhere", B(to.RadiusSparesFirstFrame));
            Add(from.WindowStartsWithCopies != to.WindowStartsWithCopies, "--window-copies", B(to.WindowStartsWithCopies));
            return d;
        }
    }

    /// <summary>The scale a model trained on <paramref name="inputSize"/>-pixel clips tracks at, for frames whose short side is <paramref name="shortSide"/> (training frames are shrunk to ~inputSize / 0.9).</summary>
    public static double TrainingScale(int inputSize, int shortSide) => Math.Min(1.0, inputSize / (0.9 * shortSide));

    public string FramesFolder(DavisSequence s) => s.FramesFolder ?? DavisDataset.FramesFolderOf(framesRoot, s.Name);

    public string? KeypointsFile(DavisSequence s)
    {
        var p = Path.Combine(framesRoot, "Keypoints", s.Name + ".json");
        return File.Exists(p) ? p : null;
    }

    /// <summary>Frames to be tracked in all (for progress bars): sequences x trackers.</summary>
    public int TotalFrames(int trackers) => sequences.Sum(s => s.Frames.Count) * trackers;

    /// <param name="trackers">The trackers to compare, in table order.</param>
    /// <param name="onFrame">Called after every tracked frame with the tracker's and the sequence's names.</param>
    public (Dictionary<string, DavisEvaluation> Segments, Dictionary<string, PckEvaluator.Result> Keypoints) Run(
        IReadOnlyList<Entry> trackers, Action<string, string>? onFrame = null)
    {
        var segments = new Dictionary<string, DavisEvaluation>();
        var keypoints = new Dictionary<string, PckEvaluator.Result>();
        using var factory = new TrackerFactory(); // each checkpoint loaded once for all sequences
        foreach (var entry in trackers)
        {
            var dir = Path.Combine(resultsDir, entry.Folder);
            var pck = new List<(JhmdbJoints, KeypointPrediction)>();
            foreach (var seq in sequences)
            {
                var firstMask = seq.MaskPath(seq.Frames[0]);
                var tracker = factory.Create(entry.Spec);
                using (var frames = Open(seq))
                    SegmentTracking.Run(tracker, frames, MaskPng.Read(firstMask), firstMask, Path.Combine(dir, seq.Name), (_, _) => onFrame?.Invoke(entry.Name, seq.Name));
                if (KeypointsFile(seq) is { } kp)
                    pck.Add(TrackKeypoints(entry.KeypointSpec is { } k ? factory.Create(k) : tracker, seq, kp, Path.Combine(resultsDir, entry.Folder + "-keypoints", seq.Name + ".json")));
            }
            segments[entry.Name] = DavisEvaluator.Evaluate(sequences, dir);
            if (pck.Count > 0) keypoints[entry.Name] = PckEvaluator.Evaluate(pck);
        }
        return (segments, keypoints);
    }

    /// <summary>The sequence's frames, as many as it lists (a prefix of the video when truncated).</summary>
    IFrameSource Open(DavisSequence s) => FrameSources.Open(FramesFolder(s), new FrameSourceOptions(MaxFrames: s.Frames.Count));

    (JhmdbJoints, KeypointPrediction) TrackKeypoints(ILabelTracker tracker, DavisSequence seq, string path, string outPath)
    {
        var truth = Datasets.KeypointsFile.Load(path);
        // The video's first-frame mask holds the figure the joints belong to: each joint is read out only where
        // the figure is tracked to, for every tracker alike (docs/demo.md measures it).
        var prediction = KeypointComparison.TrackOnBody(tracker, () => Open(seq), truth, path, seq.MaskPath(seq.Frames[0]));
        Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
        prediction.Save(outPath);
        return (KeypointComparison.Truth(truth, seq.Name, seq.Frames.Count), prediction);
    }
}
