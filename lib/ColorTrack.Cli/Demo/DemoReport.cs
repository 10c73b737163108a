using System.Globalization;
using ColorTrack.Analysis;
using ColorTrack.Evaluation;
using ColorTrack.Imaging;
using ColorTrack.Model;
using ColorTrack.Propagation;
using ColorTrack.Notebooks.Formatting;
using ColorTrack.Notebooks.Rendering;
using ColorTrack.Runtime;
using ColorTrack.Video;
using Microsoft.Data.Analysis;

namespace ColorTrack.Cli.Demo;

/// <summary>The demo's one self-contained HTML page, plus its tables as CSV and Markdown.</summary>
public static class DemoReport
{
    public static string Write(DemoPipeline.Outcome r, DemoOptions o)
    {
        var provenance = RunProvenance.Capture("demo", o, o.Seed);
        var summary = TrackingCharts.Summary(r.Segments);
        ResultsTable.Save(summary, Path.Combine(r.OutDir, "summary.csv"), provenance, "DAVIS J&F on the held-out videos");
        DataFrame? pck = r.Keypoints.Count > 0 ? PckTable(r.Keypoints) : null;
        if (pck != null) ResultsTable.Save(pck, Path.Combine(r.OutDir, "keypoints.csv"), provenance, "PCK on the held-out videos");

        var verdict = string.Join("\n\n", Verdict(r, o).Select(line => "**Verdict:** " + line));
        var objective = o.ObjectiveFor(ColorizationPreset.Named(o.Preset));

        var report = new HtmlReport("ColorTrack demo: tracking emerges by colorizing video");
        report.Prose($"""
            A model that was never shown a label learned to colour gray video by **pointing** into reference frames and
            copying their colours (Vondrick et al., ECCV 2018). Here the same pointer propagates each held-out video's
            first-frame masks and keypoints.

            * data: {(o.Videos is { Count: > 0 } ? $"{o.Videos.Count} real video path(s)" : $"{o.TrainVideos} synthetic training videos")};
              evaluated on {r.Sequences.Count} {(o.Davis is null ? "held-out synthetic videos" : $"DAVIS sequences from {o.Davis}")}
            * model: {(o.InitFrom is null ? "trained from scratch, " : $"the shipped model `{o.InitFrom}` (itself trained by colorization alone, on unlabelled real video: models/README.md) fine-tuned, ")}preset `{o.Preset}`, {r.Training.Step} training steps of {o.Batch} clips in {(r.Log.Count > 0 ? r.Log[^1].WallSeconds : 0) / 60:F1} min,
              objective `{objective}`, last loss {r.Training.LastLoss:F3}{(objective == "bins" ? $" nats (ln 16 = {Math.Log(16):F3} is a uniform guess)" : "")}
            * held-out videos: {(o.Davis is null ? (o.Palette > 0 ? $"synthetic, every texture painted from a shared palette of {o.Palette} colours (objects share colours with each other and the background)" : "synthetic, each texture in its own colours") : o.Davis)}
            * tracking: {(o.Davis is null && o.Size < o.TrackSize ? $"the two pointers (the model's, the Lab pixels') on frames enlarged to {o.TrackSize} px (their grids are too coarse at {o.Size} px); flow and identity at {o.Size} px" : "at the frames' own size")}{(o.InitFrom is null ? "" : $"; the row \"{DemoPipeline.StartingModel}\" is the model before the demo's training, tracked alike")}
            * keypoints: each tracker carries the figure's first-frame mask along with the joints and reads each joint out only where the figure is (docs/demo.md){(DemoPipeline.KeypointZoom(o) > 1 ? $"; the best-options pointers track the joints on frames enlarged to {o.KeypointTrackSize} px, their search radius enlarged alike (a finer grid for joints; the masks stay at {o.TrackSize} px)" : "")}
            * total time {r.Elapsed.TotalMinutes:F1} min; everything is in `{r.OutDir}`

            {verdict}
            """);
        report.Heading("Video segmentation (DAVIS protocol)").Table(summary).Chart(TrackingCharts.JAndFBars(r.Segments)).Chart(TrackingCharts.JOverTime(r.Segments));
        if (pck != null) report.Heading("Keypoint tracking (PCK)").Table(pck);
        if (r.Log.Count > 0) report.Heading("Training").Chart(TrainingCharts.LossCurve(r.Log, r.Bins.K));

        report.Heading("What the trackers see");
        var seq = r.Sequences[0];
        var frames = LoadFrames(seq.FramesFolder ?? Datasets.DavisDataset.FramesFolderOf(r.FramesRoot, seq.Name));
        var picks = new[] { 0, frames.Count / 3, 2 * frames.Count / 3, frames.Count - 1 }.Distinct().ToArray();
        report.Pictures(Pictures.Row("ground truth", picks.Select(t => Pictures.Overlay(frames[t], MaskPng.Read(seq.MaskPath(seq.Frames[t])), $"frame {t}", 200)).ToArray()));
        foreach (var (name, folder) in new[] { (Ours, "colorization-best"), ("pixels (Lab, best options)", "pixels-best"), ("optical flow", "flow") })
            report.Pictures(Pictures.Row(name, picks.Select(t => Pictures.Overlay(frames[t], MaskPng.Read(Path.Combine(r.OutDir, "results", folder, seq.Name, seq.Frames[t] + ".png")), $"frame {t}", 200)).ToArray()));

        report.Heading("Colorization: the task the model was trained on");
        using (var ckpt = ColorizationCheckpoint.Load(r.Training.CheckpointPath))
        {
            var target = frames[Math.Min(frames.Count - 1, 8)];
            var colorized = Colorizer.Colorize(ckpt.Model, r.Bins, frames[0], target, PropagationSettings.Best);
            report.Prose("The gray target is coloured by copying the colour bins of the reference frame that its embedding points to " +
                         "(the pointer with the best tracking options). " +
                         $"Copied bin right at {colorized.CopiedRight:P0} of the target's feature cells; copying the same place of the reference: {colorized.SamePlaceRight:P0}.")
                  .Pictures(Pictures.Row(null,
                      Pictures.Of(frames[0], "reference (colour given)", 200),
                      Pictures.Of(ColorViews.Gray(target), "target (gray input)", 200),
                      Pictures.Of(colorized.Colorized, "colorized by copying", 200),
                      Pictures.Of(target, "target (truth)", 200)));
        }
        report.Heading("Provenance").Preformatted(System.Text.Json.JsonSerializer.Serialize(provenance, RunProvenance.Json));
        var path = Path.Combine(r.OutDir, "report.html");
        report.Save(path);
        return path;
    }

    /// <summary>The trained model as the verdict judges it: with its best tracking options.</summary>
    public const string Ours = "colorization (best options)";

    /// <summary>
    /// The verdict, one line per score (J&amp;F, and PCK@0.2 where keypoints were tracked): the trained model
    /// with its best options against every baseline, naming each one ahead of it, by how much, and why; then, for a
    /// fine-tuned model, what the demo's own training changed.
    /// </summary>
    public static IReadOnlyList<string> Verdict(DemoPipeline.Outcome r, DemoOptions o)
    {
        bool synthetic = o.Davis is null;
        var split = synthetic ? $"{r.Sequences.Count} held-out synthetic videos, never trained on" : $"{r.Sequences.Count} DAVIS sequences";
        var lines = new List<string>
        {
            Verdicts.Standing(r.Segments.ToDictionary(kv => kv.Key, kv => kv.Value.JAndFMean), Ours, "J&F", synthetic) + $" ({split})",
        };
        if (r.Keypoints.ContainsKey(Ours))
            lines.Add(Verdicts.Standing(r.Keypoints.ToDictionary(kv => kv.Key, kv => kv.Value.Mean[1]), Ours, "PCK@0.2", synthetic, "F1"));
        if (TrainingEffect(r, o) is { } effect) lines.Add(effect);
        return lines;
    }

    /// <summary>
    /// When the demo fine-tuned a trained model: what its own training changed, the fine-tuned model against the
    /// model it started from, tracked alike (it may be lower: ten minutes on synthetic scenes can pull a model
    /// trained for hours on real video away from what made it track).
    /// </summary>
    static string? TrainingEffect(DemoPipeline.Outcome r, DemoOptions o)
    {
        if (o.InitFrom is null || !r.Segments.TryGetValue(Ours, out var after) || !r.Segments.TryGetValue(DemoPipeline.StartingModel, out var before)) return null;
        static string Change(double from, double to, string format) =>
            $"from {from.ToString(format, CultureInfo.InvariantCulture)} to {to.ToString(format, CultureInfo.InvariantCulture)} ({(to - from >= 0 ? "+" : "")}{(to - from).ToString(format, CultureInfo.InvariantCulture)})";
        var text = $"the demo's training ({r.Training.Step} steps fine-tuning '{o.InitFrom}') moved J&F {Change(before.JAndFMean, after.JAndFMean, "F3")}";
        if (r.Keypoints.TryGetValue(Ours, out var kpAfter) && r.Keypoints.TryGetValue(DemoPipeline.StartingModel, out var kpBefore))
            text += $" and PCK@0.2 {Change(kpBefore.Mean[1], kpAfter.Mean[1], "F1")}";
        return text + (after.JAndFMean < before.JAndFMean
            ? "; on J&F the model it started from is better: fine-tuning on the synthetic training videos pulled it away from what it learned on real video"
            : "");
    }

    static DataFrame PckTable(IReadOnlyDictionary<string, PckEvaluator.Result> byTracker)
    {
        var first = byTracker.Values.First();
        var columns = new List<DataFrameColumn> { new StringDataFrameColumn("Tracker", byTracker.Keys) };
        for (int i = 0; i < first.Thresholds.Length; i++)
            columns.Add(new DoubleDataFrameColumn("PCK@" + first.Thresholds[i].ToString("0.0", CultureInfo.InvariantCulture), byTracker.Values.Select(v => v.Mean[i])));
        return new DataFrame(columns);
    }

    static List<VideoFrame> LoadFrames(string folder)
    {
        using var source = FrameSources.Open(folder);
        return source.Frames().ToList();
    }
}
