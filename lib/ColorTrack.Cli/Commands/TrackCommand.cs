using System.CommandLine;
using System.Diagnostics;
using ColorTrack.Baselines;
using ColorTrack.Contracts;
using ColorTrack.Datasets;
using ColorTrack.Imaging;
using ColorTrack.Model;
using ColorTrack.Propagation;
using ColorTrack.Runtime;
using ColorTrack.Video;
using Spectre.Console;
using TorchSharp;

namespace ColorTrack.Cli.Commands;

/// <summary>
/// `colortrack track`: propagate the first frame's mask (or keypoints) through a video, or through
/// every sequence of a DAVIS-layout data set, with a learned/ImageNet/pixel encoder or a baseline.
/// </summary>
public static class TrackCommand
{
    static readonly Option<string?> Frames = new("--frames") { Description = "Folder of frames (00000.jpg, ...) or a video file" };
    static readonly Option<string?> Mask = new("--mask") { Description = "First frame's mask (indexed PNG, 0/255 or gray+alpha; 0 = background). With --keypoints: the body the joints belong to (the keypoints' objectId, else every object), each joint then read out only where the body is tracked to" };
    static readonly Option<string?> Keypoints = new("--keypoints") { Description = "First frame's keypoints (.json or .csv: joint, x, y, visible)" };
    static readonly Option<string> Out = new("--out") { Description = "Output folder (one sub-folder of PNG masks per sequence)", Required = true };
    static readonly Option<string?> Checkpoint = new("--checkpoint") { Description = "Trained colorization checkpoint to embed frames with, or a shipped model in models/ (hash-checked): 'default', the best recipe (also used when no encoder or method is given), or 'paper', the paper's own objective" };
    static readonly Option<string?> EncoderName = new("--encoder") { Description = "pixels | imagenet18 (with --weights)" };
    static readonly Option<string?> Weights = new("--weights") { Description = "ImageNet ResNet-18 state_dict (.pth) for --encoder imagenet18" };
    static readonly Option<string?> Method = new("--method") { Description = "identity | flow: a baseline instead of an encoder" };
    static readonly Option<string?> Preset = new("--preset") { Description = "paper | best | crw: propagation settings the options below override (default: best; for the shipped model, the options in its manifest)" };
    static readonly Option<double?> Scale = new("--scale") { Description = "Resize frames by this factor before tracking; masks are written at full size (default 1; for the shipped model, its manifest's)" };
    static readonly Option<double?> Temperature = new("--temperature") { Description = "Pointer temperature T (paper 0.5)" };
    static readonly Option<int?> Window = new("--window") { Description = "Previous frames used as references (paper 3)" };
    static readonly Option<int?> TopK = new("--topk") { Description = "Keep the k best affinities per location (0 = all)" };
    static readonly Option<double?> Radius = new("--radius") { Description = "Only reference locations within this many feature cells (0 = all)" };
    static readonly Option<bool?> LongMemory = new("--long-memory") { Description = "Always keep the first frame and its labels as a reference" };
    static readonly Option<bool?> SpareFirst = new("--first-frame-everywhere") { Description = "With --radius and --long-memory: search the first frame everywhere, the window within the radius (as CRW)" };
    static readonly Option<bool?> Copies = new("--window-copies") { Description = "Start with the window full of copies of the first frame (as CRW)" };
    static readonly Option<string> Precision = new("--precision") { Description = "fp32 | bf16 | auto: what the network and the affinities compute in (auto = bf16 for a network with L2-normalised embeddings where the CPU has native bfloat16, about 2x faster; else fp32)", DefaultValueFactory = _ => ComputePrecision.Auto };
    static readonly Option<bool?> L2 = new("--l2") { Description = "L2-normalise embeddings (cosine affinity)" };
    static readonly Option<int> Stride = new("--stride") { Description = "Cell size of --encoder pixels", DefaultValueFactory = _ => 8 };
    static readonly Option<bool> Recursive = new("--flow-recursive") { Description = "--method flow: warp frame to frame (else from the first frame)", DefaultValueFactory = _ => OpticalFlowSettings.Default.Recursive };
    static readonly Option<string?> Davis = new("--davis") { Description = "DAVIS-layout root (JPEGImages/480p, Annotations/480p): track every sequence" };
    static readonly Option<string?> Sequences = new("--sequences") { Description = "With --davis: comma-separated sequence names (default: the image set's)" };
    static readonly Option<string> Set = new("--set") { Description = "With --davis: image set", DefaultValueFactory = _ => "train" };
    static readonly Option<int?> Threads = ComputeThreads.CreateOption();

    public static Command Create()
    {
        var cmd = new Command("track", "Propagate the first frame's mask or keypoints through a video (or a DAVIS data set).")
        {
            Frames, Mask, Keypoints, Out, Checkpoint, EncoderName, Weights, Method, Preset, Temperature, Window, TopK, Radius,
            LongMemory, L2, SpareFirst, Copies, Precision, Stride, Scale, Recursive, Davis, Sequences, Set, Threads,
        };
        cmd.SetAction(RunLeavingNothingOnFailure);
        return cmd;
    }

    /// <summary>A failed run leaves no trace: an --out folder this run created is removed again when it holds nothing.</summary>
    static int RunLeavingNothingOnFailure(ParseResult p)
    {
        var outDir = Path.GetFullPath(p.GetValue(Out)!);
        AtomicFile.CheckWritable(Path.Combine(outDir, "probe"));
        bool existed = Directory.Exists(outDir);
        try { return Run(p); }
        catch
        {
            // Here, not in a filter: the temporary result folders inside are removed while the stack unwinds.
            if (!existed && Directory.Exists(outDir) && !Directory.EnumerateFileSystemEntries(outDir).Any()) Directory.Delete(outDir);
            throw;
        }
    }

    static int Run(ParseResult p)
    {
        TorchRuntime.EnsureLoaded();
        ComputeThreads.Apply(p.GetValue(Threads));
        var (tracker, config, owner) = BuildTracker(p);
        using var _ = owner;
        var outDir = p.GetValue(Out)!;
        var davis = p.GetValue(Davis);
        if (davis != null)
        {
            var names = p.GetValue(Sequences)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            // Under mpiexec each rank tracks its share of the sequences (about equal frame counts) into the
            // same folder; every sequence is tracked exactly as one process would. Rank 0 alone speaks and
            // writes the run's provenance, once every rank is done.
            var world = Mpi.World;
            var speaks = world is null || world.Rank == 0;
            var sequences = DavisDataset.Open(davis, p.GetValue(Set)!, "2016", names, warn: speaks ? w => Console.Error.WriteLine("warning: " + w) : null);
            var total = new double[1]; var sw = Stopwatch.StartNew();
            foreach (var seq in WorkShare.Mine(sequences, q => q.Frames.Count, world))
                total[0] += TrackSegments(tracker, seq.FramesOrThrow(), seq.MaskPath(seq.Frames[0]), Path.Combine(outDir, seq.Name), speaks);
            world?.SumInPlace(total, "frames tracked");
            if (!speaks) return 0;
            RunProvenance.Capture("colortrack track --davis", config).Save(Path.Combine(outDir, "provenance.json"));
            var ranks = world is null ? "" : $" over {world.Size} ranks";
            Console.WriteLine($"tracked {sequences.Count} sequences, {total[0]:F0} frames in {sw.Elapsed.TotalSeconds:F1} s{ranks} -> {Path.GetFullPath(outDir)}");
            return 0;
        }
        var frames = p.GetValue(Frames) ?? throw new BadInputException("--frames", "give the video (--frames DIR|VIDEO) or a DAVIS root (--davis ROOT)");
        var mask = p.GetValue(Mask);
        var keypoints = p.GetValue(Keypoints);
        if (mask == null && keypoints == null) throw new BadInputException("--mask", "give the first frame's --mask or --keypoints (or both: keypoints read out on the mask's body)");
        var name = Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(frames));
        var sw2 = Stopwatch.StartNew();
        int n = keypoints == null
            ? TrackSegments(tracker, frames, mask!, Path.Combine(outDir, name))
            : TrackKeypoints(tracker, frames, keypoints, mask, Path.Combine(outDir, name), KeypointTracking.StrideFor(tracker));
        if (FrameSources.IsVideoFile(frames)) WriteOverlay(frames, Path.Combine(outDir, name), keypoints == null);
        RunProvenance.Capture("colortrack track", config).Save(Path.Combine(outDir, name + ".provenance.json"));
        Console.WriteLine($"tracked {n} frames in {sw2.Elapsed.TotalSeconds:F1} s -> {Path.GetFullPath(Path.Combine(outDir, name))}");
        return 0;
    }

    /// <summary>
    /// Say, before tracking, the size frames are tracked at (a 1080p clip is brought to the model's working
    /// size, not tracked at 1080p) and about how long the clip will take, timed here on one frame.
    /// </summary>
    static void SayCost(ILabelTracker tracker, IFrameSource source)
    {
        var size = tracker is RescaledTracker r && r.WorkingSize(source.Height, source.Width) is var (h, w)
            ? $"tracking {source.Width}x{source.Height} frames at {w}x{h} ({r.Name})" : $"tracking {source.Width}x{source.Height} frames ({tracker.Name})";
        // Timed once per tracker and frame size: the sequences of a DAVIS run share both.
        if (!Estimates.TryGetValue((tracker, source.Height, source.Width), out var perFrame))
            Estimates[(tracker, source.Height, source.Width)] = perFrame = tracker is IEstimatesCost c ? c.SecondsPerFrame(source.Height, source.Width) : double.NaN;
        if (double.IsNaN(perFrame)) { Console.WriteLine(size); return; }
        var total = source.FrameCount is int n ? $", about {FormatDuration(perFrame * Math.Max(0, n - 1))} for {n - 1} frames" : "";
        Console.WriteLine($"{size}: about {perFrame:F2} s per frame{total} (timed on one frame, {torch.get_num_threads()} threads)");
    }

    static readonly Dictionary<(ILabelTracker, int, int), double> Estimates = [];

    static string FormatDuration(double seconds) =>
        seconds < 90 ? $"{seconds:F0} s" : seconds < 5400 ? $"{seconds / 60:F0} min" : $"{seconds / 3600:F1} h";

    static int TrackSegments(ILabelTracker tracker, string frames, string maskPath, string outDir, bool show = true)
    {
        using var source = FrameSources.Open(frames);
        var first = MaskPng.Read(maskPath);
        if (!show) return SegmentTracking.Run(tracker, source, first, maskPath, outDir);
        SayCost(tracker, source);
        int written = 0;
        WithProgress(source.Name, source.FrameCount, report =>
            written = SegmentTracking.Run(tracker, source, first, maskPath, outDir, (i, _) => report(i + 1)));
        return written;
    }

    /// <summary>Second pass over a video file: its frames with the written masks or keypoints drawn on, as results/NAME.overlay.mp4.</summary>
    static void WriteOverlay(string video, string results, bool masks)
    {
        using var source = FrameSources.Open(video);
        var keypoints = masks ? null : KeypointsFile.Load(Path.Combine(results, "keypoints.json"));
        using var writer = new OverlayVideoWriter(results + ".overlay.mp4", source.Width, source.Height, source.FramesPerSecond);
        foreach (var f in source.Frames())
        {
            if (masks) writer.WriteMask(f.Rgb, MaskPng.Read(Path.Combine(results, $"{f.Index:D5}.png")));
            else if (f.Index < keypoints!.Frames.Count)
                writer.WriteSkeleton(f.Rgb, keypoints.Frames[f.Index].Select(k => (k.X, k.Y, k.Visible)).ToList(), keypoints.Edges);
        }
        writer.Complete();
        Console.WriteLine($"overlay video -> {Path.GetFullPath(results + ".overlay.mp4")}");
    }

    static int TrackKeypoints(ILabelTracker tracker, string frames, string keypointsPath, string? bodyMaskPath, string outDir, int stride)
    {
        using var source = FrameSources.Open(frames);
        var first = KeypointsFile.Load(keypointsPath);
        var body = bodyMaskPath is null ? null : MaskPng.Read(bodyMaskPath);
        SayCost(tracker, source);
        KeypointsFile? result = null;
        WithProgress(source.Name, source.FrameCount, report => result = body is null
            ? new KeypointTracking(stride).Run(tracker, source, first, keypointsPath, i => report(i + 1))
            : KeypointTracking.OnObject(stride).RunOnObject(tracker, source, first, keypointsPath, body, bodyMaskPath!, i => report(i + 1)));
        using var output = new OutputFolder(outDir);
        result!.Save(output["keypoints.json"]);
        output.Commit();
        return result.Frames.Count;
    }

    /// <summary>A progress bar with the rate in frames/s (Spectre's own speed estimate; nothing is mutated while it renders but the value).</summary>
    internal static void WithProgress(string name, int? frames, Action<Action<int>> body)
    {
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new FramesPerSecondColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(name, maxValue: frames ?? 100_000);
                body(done => task.Value = done);
                task.Value = task.MaxValue;
            });
    }

    sealed class FramesPerSecondColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is double s ? $"{s:F1} frames/s" : "- frames/s");
    }

    /// <summary>The tracker the options ask for, its resolved spec (what the run records), and the factory that owns its encoder.</summary>
    static (ILabelTracker Tracker, TrackerSpec Config, TrackerFactory Owner) BuildTracker(ParseResult p)
    {
        var method = p.GetValue(Method);
        var encoderName = p.GetValue(EncoderName);
        // No encoder or method: the shipped model.
        var checkpoint = p.GetValue(Checkpoint) ?? (method == null && encoderName == null ? ShippedModel.DefaultName : null);
        int chosen = (method != null ? 1 : 0) + (checkpoint != null ? 1 : 0) + (encoderName != null ? 1 : 0);
        if (chosen != 1) throw new BadInputException("track", "choose exactly one of --checkpoint CKPT|default, --encoder pixels|imagenet18, --method identity|flow");
        var kind = checkpoint != null ? TrackerSpec.ModelKind : method ?? encoderName!;
        if (method is not (null or TrackerSpec.Identity or TrackerSpec.Flow)) throw new BadInputException("--method", $"unknown method '{method}' (identity or flow)");
        if (encoderName is not (null or TrackerSpec.Pixels or TrackerSpec.ImageNet18)) throw new BadInputException("--encoder", $"unknown encoder '{encoderName}' (pixels or imagenet18)");
        var spec = new TrackerSpec(kind)
        {
            Checkpoint = checkpoint, Weights = p.GetValue(Weights), PixelStride = p.GetValue(Stride),
            Scale = p.GetValue(Scale), FlowRecursive = p.GetValue(Recursive),
        };
        var factory = new TrackerFactory();
        try
        {
            // Resolved once: "default" loads the manifest and checks the model's SHA-256.
            var resolved = factory.Resolve(spec);
            if (resolved.Propagates) resolved = resolved with { Settings = Settings(p, resolved) };
            return (factory.Create(resolved), resolved, factory);
        }
        catch
        {
            factory.Dispose();
            throw;
        }
    }

    /// <summary>The propagation settings: the tracker's own (or --preset's), with the options given here on top.</summary>
    static PropagationSettings Settings(ParseResult p, TrackerSpec resolved)
    {
        var s = p.GetValue(Preset) switch
        {
            null => resolved.Settings!,
            "paper" => PropagationSettings.Paper,
            "best" => resolved.Kind == TrackerSpec.Pixels ? PixelLabEncoder.BestSettings : PropagationSettings.Best,
            "crw" => PropagationSettings.Crw,
            var other => throw new BadInputException("--preset", $"unknown preset '{other}' (paper, best or crw)"),
        };
        if (p.GetValue(Temperature) is double t) s = s with { Temperature = t };
        if (p.GetValue(Window) is int w) s = s with { Window = w };
        if (p.GetValue(TopK) is int k) s = s with { TopK = k };
        if (p.GetValue(Radius) is double r) s = s with { Radius = r };
        if (p.GetValue(LongMemory) is bool m) s = s with { LongTermMemory = m };
        if (p.GetValue(L2) is bool l2) s = s with { L2Normalize = l2 };
        if (p.GetValue(SpareFirst) is bool sf) s = s with { RadiusSparesFirstFrame = sf };
        if (p.GetValue(Copies) is bool c) s = s with { WindowStartsWithCopies = c };
        return (resolved with { Settings = s }).WithPrecision(p.GetValue(Precision)).Settings!;
    }
}
