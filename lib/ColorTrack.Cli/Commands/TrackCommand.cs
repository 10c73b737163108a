using System.CommandLine;
using System.Diagnostics;
using ColorTrack.Baselines;
using ColorTrack.Datasets;
using ColorTrack.Imaging;
using ColorTrack.Model;
using ColorTrack.Propagation;
using ColorTrack.Runtime;
using ColorTrack.Video;
using Spectre.Console;

namespace ColorTrack.Cli.Commands;

/// <summary>
/// `colortrack track`: propagate the first frame's mask (or keypoints) through a video, or through
/// every sequence of a DAVIS-layout data set, with a learned/ImageNet/pixel encoder or a baseline.
/// </summary>
public static class TrackCommand
{
    static readonly Option<string?> Frames = new("--frames") { Description = "Folder of frames (00000.jpg, ...) or a video file" };
    static readonly Option<string?> Mask = new("--mask") { Description = "First frame's mask (indexed PNG, 0/255 or gray+alpha; 0 = background)" };
    static readonly Option<string?> Keypoints = new("--keypoints") { Description = "First frame's keypoints (.json or .csv: joint, x, y, visible)" };
    static readonly Option<string> Out = new("--out") { Description = "Output folder (one sub-folder of PNG masks per sequence)", Required = true };
    static readonly Option<string?> Checkpoint = new("--checkpoint") { Description = "Trained colorization checkpoint to embed frames with, or 'default': the shipped model in models/ (hash-checked; also used when no encoder or method is given)" };
    static readonly Option<string?> EncoderName = new("--encoder") { Description = "pixels | imagenet18 (with --weights)" };
    static readonly Option<string?> Weights = new("--weights") { Description = "ImageNet ResNet-18 state_dict (.pth) for --encoder imagenet18" };
    static readonly Option<string?> Method = new("--method") { Description = "identity | flow: a baseline instead of an encoder" };
    static readonly Option<string?> Preset = new("--preset") { Description = "paper | best: propagation settings the options below override (default: best; for the shipped model, the options in its manifest)" };
    static readonly Option<double?> Scale = new("--scale") { Description = "Resize frames by this factor before tracking; masks are written at full size (default 1; for the shipped model, its manifest's)" };
    static readonly Option<double?> Temperature = new("--temperature") { Description = "Softmax temperature T (paper 0.5)" };
    static readonly Option<int?> Window = new("--window") { Description = "Previous frames used as references (paper 3)" };
    static readonly Option<int?> TopK = new("--topk") { Description = "Keep the k best affinities per location (0 = all)" };
    static readonly Option<double?> Radius = new("--radius") { Description = "Only reference locations within this many feature cells (0 = all)" };
    static readonly Option<bool?> LongMemory = new("--long-memory") { Description = "Always keep the first frame and its labels as a reference" };
    static readonly Option<bool?> L2 = new("--l2") { Description = "L2-normalise embeddings (cosine affinity)" };
    static readonly Option<int> Stride = new("--stride") { Description = "Cell size of --encoder pixels", DefaultValueFactory = _ => 8 };
    static readonly Option<bool> Recursive = new("--flow-recursive") { Description = "--method flow: warp frame to frame (else from the first frame)", DefaultValueFactory = _ => OpticalFlowSettings.Default.Recursive };
    static readonly Option<string?> Davis = new("--davis") { Description = "DAVIS-layout root (JPEGImages/480p, Annotations/480p): track every sequence" };
    static readonly Option<string?> Sequences = new("--sequences") { Description = "With --davis: comma-separated sequence names (default: the image set's)" };
    static readonly Option<string> Set = new("--set") { Description = "With --davis: image set", DefaultValueFactory = _ => "train" };

    public static Command Create()
    {
        var cmd = new Command("track", "Propagate the first frame's mask or keypoints through a video (or a DAVIS data set).")
        {
            Frames, Mask, Keypoints, Out, Checkpoint, EncoderName, Weights, Method, Preset, Temperature, Window, TopK, Radius,
            LongMemory, L2, Stride, Scale, Recursive, Davis, Sequences, Set,
        };
        cmd.SetAction(Run);
        return cmd;
    }

    static int Run(ParseResult p)
    {
        TorchRuntime.EnsureLoaded();
        var (tracker, config, encoder) = BuildTracker(p);
        using var _ = encoder;
        var outDir = p.GetValue(Out)!;
        var davis = p.GetValue(Davis);
        if (davis != null)
        {
            var names = p.GetValue(Sequences)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var sequences = DavisDataset.Open(davis, p.GetValue(Set)!, "2016", names, warn: w => Console.Error.WriteLine("warning: " + w));
            int total = 0; var sw = Stopwatch.StartNew();
            foreach (var seq in sequences)
                total += TrackSegments(tracker, Path.Combine(davis, "JPEGImages", "480p", seq.Name), seq.MaskPath(seq.Frames[0]), Path.Combine(outDir, seq.Name));
            RunProvenance.Capture("colortrack track --davis", config).Save(Path.Combine(outDir, "provenance.json"));
            Console.WriteLine($"tracked {sequences.Count} sequences, {total} frames in {sw.Elapsed.TotalSeconds:F1} s -> {Path.GetFullPath(outDir)}");
            return 0;
        }
        var frames = p.GetValue(Frames) ?? throw new BadInputException("--frames", "give the video (--frames DIR|VIDEO) or a DAVIS root (--davis ROOT)");
        var mask = p.GetValue(Mask);
        var keypoints = p.GetValue(Keypoints);
        if ((mask == null) == (keypoints == null)) throw new BadInputException("--mask", "give exactly one of --mask and --keypoints");
        var name = Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(frames));
        var sw2 = Stopwatch.StartNew();
        int n = mask != null
            ? TrackSegments(tracker, frames, mask, Path.Combine(outDir, name))
            : TrackKeypoints(tracker, frames, keypoints!, Path.Combine(outDir, name), Math.Max(1, (tracker as PropagationTracker)?.Encoder.Stride ?? 8));
        if (FrameSources.IsVideoFile(frames)) WriteOverlay(frames, Path.Combine(outDir, name), mask != null);
        RunProvenance.Capture("colortrack track", config).Save(Path.Combine(outDir, name + ".provenance.json"));
        Console.WriteLine($"tracked {n} frames in {sw2.Elapsed.TotalSeconds:F1} s -> {Path.GetFullPath(Path.Combine(outDir, name))}");
        return 0;
    }

    static int TrackSegments(ILabelTracker tracker, string frames, string maskPath, string outDir)
    {
        using var source = FrameSources.Open(frames);
        var first = MaskPng.Read(maskPath);
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

    static int TrackKeypoints(ILabelTracker tracker, string frames, string keypointsPath, string outDir, int stride)
    {
        using var source = FrameSources.Open(frames);
        var first = KeypointsFile.Load(keypointsPath);
        KeypointsFile? result = null;
        WithProgress(source.Name, source.FrameCount, report =>
            result = new KeypointTracking(stride).Run(tracker, source, first, keypointsPath, i => report(i + 1)));
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

    /// <summary>The tracker the options ask for, the config to record, and what to dispose.</summary>
    static (ILabelTracker Tracker, object Config, IDisposable? Owned) BuildTracker(ParseResult p)
    {
        var method = p.GetValue(Method);
        var encoderName = p.GetValue(EncoderName);
        // No encoder or method: the shipped model.
        var checkpoint = p.GetValue(Checkpoint) ?? (method == null && encoderName == null ? ShippedModel.DefaultName : null);
        int chosen = (method != null ? 1 : 0) + (checkpoint != null ? 1 : 0) + (encoderName != null ? 1 : 0);
        if (chosen != 1) throw new BadInputException("track", "choose exactly one of --checkpoint CKPT|default, --encoder pixels|imagenet18, --method identity|flow");
        // Resolved once: "default" loads the manifest and checks the model's SHA-256.
        var (checkpointPath, manifest) = checkpoint != null ? ShippedModel.Resolve(checkpoint) : (null, null);
        var (tracker, config, owned) = BuildUnscaled(p, method, checkpointPath, manifest, encoderName);
        var scale = p.GetValue(Scale) ?? manifest?.Tracking.Scale ?? 1.0;
        if (!(scale > 0 && scale <= 4)) throw new BadInputException("--scale", $"must be in (0, 4], got {scale}");
        return scale == 1.0 ? (tracker, config, owned) : (new RescaledTracker(tracker, scale), new { scale, tracker = config }, owned);
    }

    static (ILabelTracker Tracker, object Config, IDisposable? Owned) BuildUnscaled(
        ParseResult p, string? method, string? checkpointPath, ModelManifest? manifest, string? encoderName)
    {
        switch (method)
        {
            case "identity": return (new IdentityBaseline(), new { method }, null);
            case "flow":
                var flow = OpticalFlowSettings.Default with { Recursive = p.GetValue(Recursive) };
                return (new OpticalFlowBaseline(flow), new { method, flow }, null);
            case null: break;
            default: throw new BadInputException("--method", $"unknown method '{method}' (identity or flow)");
        }
        IFrameEncoder encoder = checkpointPath != null ? new ColorizationEncoder(checkpointPath) : encoderName switch
        {
            "pixels" => new PixelLabEncoder(p.GetValue(Stride)),
            "imagenet18" => new ImageNetResNetEncoder(p.GetValue(Weights) ?? throw new BadInputException("--weights", "--encoder imagenet18 needs --weights FILE.pth (resnet18 ImageNet state_dict up to layer3)")),
            _ => throw new BadInputException("--encoder", $"unknown encoder '{encoderName}' (pixels or imagenet18)"),
        };
        var settings = Settings(p, encoder, manifest?.Tracking);
        return (new PropagationTracker(encoder, settings), new { encoder = encoder.Name, checkpoint = checkpointPath, shipped = manifest?.Sha256, weights = p.GetValue(Weights), settings }, encoder);
    }

    static PropagationSettings Settings(ParseResult p, IFrameEncoder encoder, RecommendedTracking? shipped)
    {
        var s = p.GetValue(Preset) switch
        {
            null when shipped is { } rec => new PropagationSettings
            {
                Temperature = rec.Temperature, Window = rec.Window, TopK = rec.TopK, Radius = rec.Radius, LongTermMemory = rec.LongTermMemory, L2Normalize = rec.L2Normalize,
            },
            null => encoder is PixelLabEncoder ? PixelLabEncoder.BestSettings : PropagationSettings.Best,
            "paper" => PropagationSettings.Paper,
            "best" => encoder is PixelLabEncoder ? PixelLabEncoder.BestSettings : PropagationSettings.Best,
            var other => throw new BadInputException("--preset", $"unknown preset '{other}' (paper or best)"),
        };
        if (p.GetValue(Temperature) is double t) s = s with { Temperature = t };
        if (p.GetValue(Window) is int w) s = s with { Window = w };
        if (p.GetValue(TopK) is int k) s = s with { TopK = k };
        if (p.GetValue(Radius) is double r) s = s with { Radius = r };
        if (p.GetValue(LongMemory) is bool m) s = s with { LongTermMemory = m };
        if (p.GetValue(L2) is bool l2) s = s with { L2Normalize = l2 };
        try { s.Validate(); }
        catch (ArgumentException e) { throw new BadInputException("track", e.Message); }
        return s;
    }
}
