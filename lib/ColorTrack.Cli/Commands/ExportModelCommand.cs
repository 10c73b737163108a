using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using ColorTrack.Data;
using ColorTrack.Model;
using ColorTrack.Propagation;
using ColorTrack.Runtime;
using ColorTrack.Training;

namespace ColorTrack.Cli.Commands;

/// <summary>
/// `colortrack export-model`: turn a training run into the shipped model: the weights and colour bins
/// without the optimizer state (a third of the size), plus models/manifest.json with the SHA-256,
/// how it was trained (the exact command, data, seed, time, final loss) and the tracking options
/// chosen for it. Replaces the previous shipped model, so the repository keeps one.
/// </summary>
public static class ExportModelCommand
{
    /// <summary>The shipped model's file name in models/.</summary>
    public const string ModelFile = "colortrack.ctckpt";

    /// <summary>Largest model the repository accepts (the project's rule for committed binaries).</summary>
    public const long MaxBytes = 10L * 1024 * 1024;

    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "Training run folder (from `colortrack train --out`)", Required = true };
        var output = new Option<string>("--out") { Description = "Models folder to write (manifest.json and the checkpoint)", DefaultValueFactory = _ => "models" };
        var scale = new Option<double>("--scale") { Description = "Frame scale the model tracks at", DefaultValueFactory = _ => 1.0 };
        var best = PropagationSettings.Best;
        var temperature = new Option<double>("--temperature") { Description = "Softmax temperature", DefaultValueFactory = _ => best.Temperature };
        var window = new Option<int>("--window") { Description = "Previous frames used as references", DefaultValueFactory = _ => best.Window };
        var topk = new Option<int>("--topk") { Description = "Affinities kept per location (0 = all)", DefaultValueFactory = _ => best.TopK };
        var radius = new Option<double>("--radius") { Description = "Search radius in feature cells (0 = all)", DefaultValueFactory = _ => best.Radius };
        var longMemory = new Option<bool>("--long-memory") { Description = "Keep the first frame as a reference", DefaultValueFactory = _ => best.LongTermMemory };
        var l2 = new Option<bool>("--l2") { Description = "L2-normalised embeddings", DefaultValueFactory = _ => best.L2Normalize };
        var notes = new Option<string?>("--notes") { Description = "A note for users (what it is good for, how it was chosen)" };
        var command = new Option<string?>("--command") { Description = "The training command(s) as run, when more than the run's settings say (e.g. a resume that changed them); default: rebuilt from run.json" };
        var weights = new Option<string>("--weights") { Description = "best (the best-validating checkpoint, when the run validated) or last", DefaultValueFactory = _ => "best" };
        var cmd = new Command("export-model", "Write a training run's model, without optimizer state, as the shipped model (models/) with a hash-checked manifest")
        {
            run, output, scale, temperature, window, topk, radius, longMemory, l2, notes, command, weights,
        };
        cmd.SetAction(p =>
        {
            var runDir = p.GetValue(run)!;
            var outDir = p.GetValue(output)!;
            var tracking = new RecommendedTracking(p.GetValue(scale), p.GetValue(temperature), p.GetValue(window), p.GetValue(topk),
                p.GetValue(radius), p.GetValue(longMemory), p.GetValue(l2));
            var which = p.GetValue(weights)!;
            if (which is not ("best" or "last")) throw new BadInputException("--weights", $"must be best or last, got '{which}'");
            var manifest = Export(runDir, outDir, tracking, p.GetValue(notes), p.GetValue(command), which == "best");
            Console.WriteLine($"wrote {Path.Combine(outDir, manifest.File)} ({manifest.Bytes / 1e6:F1} MB, sha256 {manifest.Sha256[..12]}…), step {manifest.Steps}, loss {manifest.FinalLoss:F4}, and {Path.Combine(outDir, ModelManifest.FileName)}");
            return 0;
        });
        return cmd;
    }

    public static ModelManifest Export(string runDir, string outDir, RecommendedTracking tracking, string? notes, string? commandLine = null, bool best = true)
    {
        var runFile = Path.Combine(runDir, "run.json");
        var bestPath = Path.Combine(runDir, ColorizationTrainer.BestFileName);
        var checkpointPath = best && File.Exists(bestPath) ? bestPath : Path.Combine(runDir, ColorizationCheckpoint.FileName);
        if (!File.Exists(runFile)) throw new BadInputException(runFile, "not a training run (no run.json; train with `colortrack train --out`)");
        var settings = JsonNode.Parse(File.ReadAllText(runFile))!;
        var training = settings["training"]!;
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

        var videos = settings["videos"]?.AsArray().Select(v => v!.GetValue<string>()).ToList();
        // Paths as seen from where export runs (the repository root: ../shared/...), not this machine's absolute ones.
        static string Relative(string path) => Path.GetRelativePath(Environment.CurrentDirectory, path);
        var data = videos is null ? ["synthetic videos"] : VideoSet.ResolvePaths(videos).Select(Relative).ToArray();
        var pan = settings["cameraPan"]?.GetValue<double>() ?? 0;
        var command = commandLine ?? "colortrack train " + string.Join(' ', new[]
        {
            videos is null ? "" : "--videos " + string.Join(' ', videos.Select(Relative)),
            $"--bins {Path.GetFileName(settings["binsPath"]!.GetValue<string>())}",
            $"--preset {training["preset"]}", $"--steps {training["steps"]}", $"--batch {training["batchSize"]}",
            $"--lr {training["learningRate"]}", $"--lr-drop-step {training["learningRateDropStep"]}", $"--seed {training["seed"]}",
            $"--workers {settings["workers"]}", pan > 0 ? $"--camera-pan {pan}" : "", $"--out {Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDir)))}",
        }.Where(s => s.Length > 0));
        var provenance = Path.Combine(runDir, "provenance.json");
        var machine = File.Exists(provenance) ? JsonNode.Parse(File.ReadAllText(provenance))?["machine"]?.GetValue<string>() ?? "" : "";
        var manifest = new ModelManifest(
            ModelFile, ModelManifest.Sha256Of(target), bytes, checkpoint.Preset.Name,
            checkpoint.Centroids.Chunk(2).Select(c => c.ToArray()).ToArray(), command, data,
            training["seed"]!.GetValue<long>(), checkpoint.Step, log[^1].WallSeconds / 3600, machine,
            log.Where(r => r.Step <= checkpoint.Step).TakeLast(100).Average(r => r.Loss), tracking, notes,
            training["objective"]?.GetValue<string>() ?? "bins",
            MetricsLog.ReadValidation(runDir).Select(v => new[] { v.Step, v.Score.JAndF }).ToArray() is { Length: > 0 } curve ? curve : null,
            settings["validation"] is JsonObject v ? $"{Relative(v["root"]!.GetValue<string>())} ({v["set"]}), first {v["frames"]} frames per sequence, scale {v["scale"]}, best propagation options" : null);
        manifest.Save(Path.Combine(outDir, ModelManifest.FileName));
        // The metrics travel with the model (notebook 3 plots them as the "longer run"), and the data list.
        File.Copy(Path.Combine(runDir, MetricsLog.FileName), Path.Combine(outDir, MetricsLog.FileName), overwrite: true);
        AtomicFile.WriteAllText(Path.Combine(outDir, "training-data.txt"),
            "# The unlabelled colour video the shipped model was trained on (a --videos list: paths relative to this file; ../shared beside the clone).\n" +
            (videos is null ? "# synthetic videos\n" : string.Join("\n", VideoSet.ResolvePaths(videos).Select(v => Path.GetRelativePath(Path.GetFullPath(outDir), v))) + "\n"));
        return manifest;
    }

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
