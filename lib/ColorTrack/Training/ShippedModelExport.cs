using System.Globalization;
using System.Text.Json.Nodes;
using ColorTrack.Data;
using ColorTrack.Model;
using ColorTrack.Runtime;

namespace ColorTrack.Training;

/// <summary>
/// Turns a training run into the shipped model (models/, read by <see cref="ShippedModel"/>): the
/// weights and colour bins without the optimizer state (a third of the size), plus manifest.json with
/// the SHA-256, how it was trained (the exact command, data, seed, time, final loss, the validation
/// curve) and the tracking options chosen for it. Replaces the previous shipped model, so the
/// repository keeps one. It lives with the runs it reads (Training/), above Model/ where loading is.
/// </summary>
public static class ShippedModelExport
{
    /// <summary>The shipped model's file name in models/.</summary>
    public const string ModelFile = "colortrack.ctckpt";

    /// <summary>Largest model the repository accepts (the project's rule for committed binaries).</summary>
    public const long MaxBytes = 10L * 1024 * 1024;

    /// <param name="runDir">The training run folder.</param>
    /// <param name="outDir">The models folder to write.</param>
    /// <param name="tracking">The tracking options chosen for the model (Propagation.TrackerFactory.ManifestTracking).</param>
    /// <param name="notes">A note for users.</param>
    /// <param name="commandLine">The training command(s) as run (the command line's business: it knows its flags).</param>
    /// <param name="best">Export the best-validating weights when the run kept them (else the last).</param>
    public static ModelManifest Export(string runDir, string outDir, JsonObject tracking, string? notes, string commandLine, bool best = true)
    {
        var run = TrainingRun.Load(runDir);
        var training = run.Training;
        var bestPath = Path.Combine(runDir, ColorizationTrainer.BestFileName);
        var checkpointPath = best && File.Exists(bestPath) ? bestPath : Path.Combine(runDir, ColorizationCheckpoint.FileName);
        var log = MetricsLog.Read(runDir);
        if (log.Count == 0) throw new BadInputException(Path.Combine(runDir, MetricsLog.FileName), "no training steps logged");

        using var checkpoint = ColorizationCheckpoint.Load(checkpointPath);
        var target = Path.Combine(outDir, ModelFile);
        using var model = WithRegisteredPreset(checkpoint.Model);
        ColorizationCheckpoint.Save(target, model ?? checkpoint.Model, checkpoint.Step, checkpoint.Centroids, checkpoint.ConfigJson);
        var bytes = new FileInfo(target).Length;
        if (bytes > MaxBytes)
        {
            File.Delete(target);
            throw new BadInputException(checkpointPath, $"model is {bytes / 1e6:F1} MB, over the repository's {MaxBytes / 1e6:F0} MB limit; train a smaller preset");
        }

        var videos = run.Videos;
        var data = videos is null ? ["synthetic videos"] : VideoSet.ResolvePaths(videos).Select(Relative).ToArray();
        var command = commandLine;
        var provenance = Path.Combine(runDir, "provenance.json");
        var machine = File.Exists(provenance) ? JsonNode.Parse(File.ReadAllText(provenance))?["machine"]?.GetValue<string>() ?? "" : "";
        var manifest = new ModelManifest(
            ModelFile, ModelManifest.Sha256Of(target), bytes, checkpoint.Preset.Name,
            checkpoint.Centroids.Chunk(2).Select(c => c.ToArray()).ToArray(), command, data,
            training.Seed, checkpoint.Step, log[^1].WallSeconds / 3600, machine,
            log.Where(r => r.Step <= checkpoint.Step).TakeLast(100).Average(r => r.Loss), tracking, notes,
            training.Objective,
            MetricsLog.ReadValidation(runDir).Select(v => new[] { v.Step, v.Score.JAndF }).ToArray() is { Length: > 0 } curve ? curve : null,
            run.Validation is { } v ? $"{Relative(v.Root)} ({v.Set}), first {v.Frames} frames per sequence, scale {v.Scale.ToString(CultureInfo.InvariantCulture)}, best propagation options" : null);
        manifest.Save(Path.Combine(outDir, ModelManifest.FileName));
        // The metrics travel with the model (notebook 3 plots them as the "longer run"), and the data list.
        File.Copy(Path.Combine(runDir, MetricsLog.FileName), Path.Combine(outDir, MetricsLog.FileName), overwrite: true);
        AtomicFile.WriteAllText(Path.Combine(outDir, "training-data.txt"),
            "# The unlabelled colour video the shipped model was trained on (a list of training videos, paths relative to this file; ../shared beside the clone).\n" +
            (videos is null ? "# synthetic videos\n" : string.Join("\n", VideoSet.ResolvePaths(videos).Select(v => Path.GetRelativePath(Path.GetFullPath(outDir), v))) + "\n"));
        return manifest;
    }

    /// <summary>A path as seen from where export runs (the repository root: ../shared/...), not this machine's absolute one.</summary>
    public static string Relative(string path) => Path.GetRelativePath(Environment.CurrentDirectory, path);

    /// <summary>
    /// The weights under this build's preset of the same name (its current description), when they
    /// fit it exactly; null when no such preset exists or the shapes differ (the recorded one is kept).
    /// </summary>
    static ColorizationModel? WithRegisteredPreset(ColorizationModel trained)
    {
        var registered = ColorizationPreset.All.FirstOrDefault(p => p.Name == trained.Preset.Name);
        if (registered is null) return null;
        var model = new ColorizationModel(registered);
        try
        {
            model.load_state_dict(trained.state_dict(), strict: true);
            return model;
        }
        catch (Exception)
        {
            model.Dispose();
            return null;
        }
    }
}
