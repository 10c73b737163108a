using System.Text.Json;
using ColorTrack.Analysis;
using ColorTrack.Color;
using ColorTrack.Data;
using ColorTrack.Datasets;
using ColorTrack.Evaluation;
using ColorTrack.Imaging;
using ColorTrack.Model;
using ColorTrack.Propagation;
using ColorTrack.Runtime;
using ColorTrack.Synthetic;
using ColorTrack.Training;
using ColorTrack.Video;
using Spectre.Console;

namespace ColorTrack.Cli.Demo;

/// <summary>
/// The main job, end to end: unlabelled colour video in, a tracker out, scored against baselines.
/// 1 data (synthetic by default), 2 colour bins, 3 training for a time budget, 4 tracking the
/// held-out videos' first-frame masks and keypoints with the trained model, identity and optical
/// flow, 5 scoring (DAVIS J&amp;F, PCK), 6 one HTML report. Inputs are all checked before anything
/// is written.
/// </summary>
public sealed class DemoPipeline(DemoOptions o)
{
    public const string Marker = "demo.json";
    static readonly string[] OwnedEntries = ["data", "run", "results", "bins.json", "report.html", "summary.csv", "summary.md", "keypoints.csv", "provenance.json", Marker];

    public string OutDir { get; } = Path.GetFullPath(o.Out);

    /// <summary>Camera pan of the synthetic training videos, as a fraction of the frame over a video.</summary>
    public const double TrainingCameraPan = 0.6;

    /// <summary>Everything the report needs.</summary>
    public sealed record Outcome(
        string OutDir, KMeansColorQuantizer Bins, TrainingOutcome Training, IReadOnlyList<TrainingProgress> Log,
        IReadOnlyList<DavisSequence> Sequences, string FramesRoot, IReadOnlyDictionary<string, DavisEvaluation> Segments,
        IReadOnlyDictionary<string, PckEvaluator.Result> Keypoints, TimeSpan Elapsed);

    /// <param name="stopTraining">Cancelled by the first Ctrl-C: training stops (checkpoint saved), the demo goes on.</param>
    public Outcome Run(CancellationToken stopTraining)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var preset = ColorizationPreset.Named(o.Preset);
        if (o.Size % preset.Backbone.OutputStride != 0 || o.Size < 32) throw new BadInputException("--size", $"must be a multiple of {preset.Backbone.OutputStride} and at least 32");
        if (o.Minutes <= 0) throw new BadInputException("--minutes", "must be positive");
        if (o.KeypointTrackSize is { } kps && (kps < o.TrackSize || kps > 4 * o.Size))
            throw new BadInputException("--keypoint-size", $"must be at least --track-size ({o.TrackSize}) and at most 4 x --size ({4 * o.Size}), got {kps}");
        if (o.Frames < 4) throw new BadInputException("--frames", "must be at least 4");
        if (o.TrainVideos < 1 || o.TestVideos < 1) throw new BadInputException("--train-videos", "the demo needs at least one training and one held-out video");
        if (o.InitFrom is { } initName && ShippedModel.IsName(initName) && ShippedModel.FindManifest(initName.ToLowerInvariant()) is { } manifest
            && File.Exists(manifest) && ModelManifest.Load(manifest).Preset is var initPreset && !string.Equals(initPreset, o.Preset, StringComparison.OrdinalIgnoreCase))
            throw new BadInputException("--preset", $"fine-tuning the shipped model '{initName}' needs its preset '{initPreset}', not '{o.Preset}' (give --init none to train '{o.Preset}' from scratch)");

        // The held-out videos are never trained on: no synthetic training video may share a held-out video's seed.
        if (o.Videos is not { Count: > 0 } && o.Davis is null
            && Enumerable.Range(0, o.TrainVideos).Select(i => SyntheticVideoGenerator.SequenceSeed(o.Seed, i))
                         .Intersect(Enumerable.Range(0, o.TestVideos).Select(i => SyntheticVideoGenerator.SequenceSeed(o.HeldOutSeed, i))).Any())
            throw new BadInputException("--seed", $"{o.Seed} would generate training videos equal to held-out ones (--heldout-seed {o.HeldOutSeed}); choose another");

        // 0. Check every input before writing anything.
        var realVideos = o.Videos is { Count: > 0 } ? CheckVideos(o.Videos) : null;
        IReadOnlyList<DavisSequence>? davis = o.Davis != null
            ? DavisDataset.Open(o.Davis, o.DavisSet, o.DavisYear, warn: w => AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(w)}"))
            : null;
        PrepareOutput();
        RunProvenance.Capture("demo", o, o.Seed).Save(Path.Combine(OutDir, "provenance.json"));
        AtomicFile.WriteAllText(Path.Combine(OutDir, Marker), JsonSerializer.Serialize(new { Started = DateTimeOffset.Now, Options = o }, RunProvenance.Json));

        // 1. Data: training videos (real or synthetic) and the held-out set to track.
        Step(1, realVideos is null ? $"generating {o.TrainVideos} synthetic training videos and {o.TestVideos} held-out ones" : $"{realVideos.Count} real videos");
        var trainSize = o.Size * 5 / 4; // a little larger than the network input, so training crops are down-samplings
        var synthetic = new SyntheticVideoOptions(Width: trainSize, Height: trainSize, Frames: o.Frames, Seed: o.Seed, Palette: o.Palette, LimbTextures: o.LimbTextures);
        // Training clips at 6 fps from 24 fps video (resample), as the paper trains, and a camera that
        // pans across 60% of the frame (the held-out videos keep the default 15%): when the background
        // moves, copying the colour of the same place stops paying, and the pointer learns to follow
        // appearance. Measured (models/README.md, "Why per-frame presets"): J&F 0.17 -> 0.37 on the held-out videos.
        var videos = realVideos is null
            ? VideoSet.Synthetic(o.TrainVideos, synthetic with { Frames = 2 * o.Frames, CameraPan = TrainingCameraPan }, resample: true)
            : VideoSet.FromPaths(realVideos);
        string framesRoot;
        IReadOnlyList<DavisSequence> sequences;
        if (davis is null)
        {
            framesRoot = Path.Combine(OutDir, "data", "heldout");
            var heldOut = synthetic with { Width = o.Size, Height = o.Size, Seed = o.HeldOutSeed }; // never the training videos' seed
            var names = SyntheticVideoGenerator.WriteDataset(framesRoot, o.TestVideos, heldOut, "val");
            sequences = DavisDataset.Open(framesRoot, sequences: names.ToArray());
        }
        else { framesRoot = o.Davis!; sequences = davis; }

        // 2. Colour bins.
        Step(2, "fitting 16 colour bins (k-means on ab)");
        var bins = TrainingRun.FitBins(videos, o.Seed);
        bins.Save(Path.Combine(OutDir, "bins.json"));
        AnsiConsole.MarkupLine($"   inertia {bins.Inertia / bins.SampleCount:F2} per sample on {bins.SampleCount:N0} samples");

        // 3. Training, for a time budget (a first Ctrl-C ends it early; the checkpoint is kept either way).
        Step(3, o.InitFrom is null ? $"training preset '{preset.Name}' for {o.Minutes:0.#} min (Ctrl-C: stop training early and go on)"
                                   : $"fine-tuning '{o.InitFrom}' (preset '{preset.Name}') for {o.Minutes:0.#} min (Ctrl-C: stop training early and go on)");
        var runDir = Path.Combine(OutDir, "run");
        var config = new TrainingConfig
        {
            Preset = preset.Name, Steps = 1_000_000, BatchSize = o.Batch, LearningRateDropStep = 1_000_000,
            Seed = o.Seed, Device = o.Device, CheckpointEvery = 50, Objective = o.ObjectiveFor(preset),
            InitFrom = o.InitFrom,
        };
        if (o.InitFrom is not null) config = config with { LearningRateDropStep = 0 }; // fine-tuning: the small rate from the start
        if (o.LearningRate is double lr) config = config with { LearningRate = lr, LearningRateAfterDrop = lr };
        config.Validate();
        var closeUps = CloseUpCrops(preset, trainingOnSynthetic: realVideos is null, heldOutSynthetic: davis is null);
        if (closeUps is var (minCrop, maxCrop))
            AnsiConsole.MarkupLine($"   close-ups: crops of {minCrop:0.##}-{maxCrop:0.##} of each training frame, objects at the size tracking sees them");
        IClipSource Open(long seed)
        {
            var clips = TrainingRun.SamplerOptionsFor(preset, o.Batch, seed);
            return new ClipSampler(videos, bins, closeUps is var (min, max) ? clips with { MinCropScale = min, MaxCropScale = max } : clips);
        }
        var trainer = new ColorizationTrainer(config, bins.Centroids, Open, runDir);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(stopTraining);
        budget.CancelAfter(TimeSpan.FromMinutes(o.Minutes));
        var training = TrainingProgressView.Run(trainer, config, resume: false, budget.Token, TimeSpan.FromMinutes(o.Minutes));
        var log = MetricsLog.Read(runDir);
        AnsiConsole.MarkupLine($"   {training.Step} steps, last loss {training.LastLoss:F3}; checkpoint [bold]{Markup.Escape(training.CheckpointPath)}[/]");

        // 4-5. Track the held-out videos and score them.
        Step(4, $"tracking {sequences.Count} videos with the trained model, identity and optical flow");
        // Track at the scale the model learned at: training frames were shrunk to ~InputSize / 0.9 on their short side.
        var shortSide = davis is null ? o.Size : 480;
        var trackScale = TrackerComparison.TrainingScale(preset.InputSize, shortSide);
        double pixelScale = 1.0;
        // Small clips are enlarged for both pointers (the model's and the Lab pixels'), whose stride-4 and stride-8 grids
        // are too coarse at 128 px. Flow stays as it is, at the frames' own size, where it is best (docs/demo.md).
        if (shortSide < o.TrackSize) trackScale = pixelScale = (double)o.TrackSize / shortSide;
        var comparison = new TrackerComparison(framesRoot, sequences, Path.Combine(OutDir, "results"));
        var trackers = TrackerComparison.Standard(training.CheckpointPath, trackScale, pixelScale, flowScale: 1.0).ToList();
        // Fine-tuned: the model it started from, tracked alike, shows what the demo's training added.
        if (o.InitFrom is { } from)
        {
            var (start, _) = ShippedModel.Resolve(from);
            trackers.Insert(2, new TrackerComparison.Entry(StartingModel, "colorization-start",
                TrackerSpec.OfCheckpoint(start) with { Scale = trackScale, Settings = PropagationSettings.Best }));
        }
        // Keypoints on a finer grid than the masks, for the pointers that search within a radius (--keypoint-size).
        if (KeypointZoom(o) is var zoom and > 1) trackers = TrackerComparison.WithKeypointZoom(trackers, zoom).ToList();
        Dictionary<string, DavisEvaluation> segments = [];
        Dictionary<string, PckEvaluator.Result> keypoints = [];
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("tracking", maxValue: comparison.TotalFrames(trackers.Count));
                (segments, keypoints) = comparison.Run(trackers, (tracker, seq) => { task.Description = $"{tracker}: {seq}"; task.Increment(1); });
            });
        return new Outcome(OutDir, bins, training, log, sequences, framesRoot, segments, keypoints, sw.Elapsed);
    }

    /// <summary>
    /// Crop range of the training clips (fractions of a training frame's side) with <see cref="DemoOptions.CloseUps"/>,
    /// synthetic training and enlarged tracking; null otherwise (the preset's own crops). The crops show objects magnified
    /// as tracking sees them: a held-out frame
    /// is enlarged k = TrackSize / Size times, and a crop of side f x trainSize resized to InputSize magnifies the
    /// training video's content InputSize / (f trainSize) times, content drawn trainSize / Size times larger than the
    /// held-out one's (the generator scales its scenes with the frame); equal when f = InputSize / TrackSize.
    /// </summary>
    (double Min, double Max)? CloseUpCrops(ColorizationPreset preset, bool trainingOnSynthetic, bool heldOutSynthetic)
    {
        if (!o.CloseUps || !trainingOnSynthetic || !heldOutSynthetic || o.Size >= o.TrackSize) return null;
        double f = (double)preset.InputSize / o.TrackSize;
        return (Math.Min(1, 0.8 * f), Math.Min(1, 1.2 * f));
    }

    /// <summary>
    /// How many times more the keypoints are enlarged than the masks (<see cref="DemoOptions.KeypointTrackSize"/>): 1 unless the
    /// held-out clips are synthetic and tracked enlarged (<see cref="DemoOptions.TrackSize"/>). The report says so where it is not 1.
    /// </summary>
    public static double KeypointZoom(DemoOptions o) =>
        o.Davis is null && o.Size < o.TrackSize ? (double)(o.KeypointTrackSize ?? o.TrackSize) / o.TrackSize : 1;

    /// <summary>The row of the model the demo fine-tuned, before its training (excluded from the verdict's baselines: it is ours too).</summary>
    public const string StartingModel = "colorization, before the demo's training (best options)";

    static void Step(int n, string what) => AnsiConsole.MarkupLine($"[bold blue]{n}.[/] {Markup.Escape(what)}");

    /// <summary>Files or folders of videos; every one that decodes is used, and at least one must.</summary>
    static List<string> CheckVideos(IReadOnlyList<string> paths)
    {
        var files = new List<string>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p)) files.AddRange(Directory.GetFiles(p).Where(FrameSources.IsVideoFile).Order());
            else if (File.Exists(p)) files.Add(p);
            else throw new BadInputException(p, "not found");
        }
        var good = new List<string>();
        foreach (var f in files)
        {
            try
            {
                using var s = FrameSources.Open(f, new FrameSourceOptions(MaxFrames: 1));
                if (s.Frames().Any()) good.Add(Path.GetFullPath(f));
            }
            catch (BadInputException e) { AnsiConsole.MarkupLine($"[yellow]warning:[/] skipping {Markup.Escape(e.Message)}"); }
        }
        if (good.Count == 0) throw new BadInputException(string.Join(", ", paths), "no decodable video found (mp4, avi, webm, mkv, mov)");
        return good;
    }

    /// <summary>
    /// The output folder must be writable, and either new, empty, or a previous demo's output (whose
    /// entries are replaced); anything else is refused rather than mixed with our files.
    /// </summary>
    void PrepareOutput()
    {
        if (File.Exists(OutDir)) throw new BadInputException(OutDir, "is a file; the demo needs an output folder");
        try
        {
            Directory.CreateDirectory(OutDir);
            var probe = Path.Combine(OutDir, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new BadInputException(OutDir, "cannot write to the output folder: " + ErrorText.FirstLine(e.Message));
        }
        var entries = Directory.EnumerateFileSystemEntries(OutDir).Select(Path.GetFileName).ToList();
        if (entries.Count == 0) return;
        if (!entries.Contains(Marker))
            throw new BadInputException(OutDir, "is not empty and is not a previous demo's output; choose a new --out");
        foreach (var name in OwnedEntries)
        {
            var p = Path.Combine(OutDir, name);
            if (Directory.Exists(p)) Directory.Delete(p, recursive: true);
            else if (File.Exists(p)) File.Delete(p);
        }
    }
}
