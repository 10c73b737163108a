using System.CommandLine;
using System.Globalization;
using ColorTrack.Model;
using ColorTrack.Propagation;
using ColorTrack.Runtime;
using ColorTrack.Training;

namespace ColorTrack.Cli.Commands;

/// <summary>
/// `colortrack export-model`: turn a training run into the shipped model (<see cref="ShippedModelExport"/>)
/// with the tracking options given here.
/// </summary>
public static class ExportModelCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "Training run folder (from `colortrack train --out`)", Required = true };
        var output = new Option<string>("--out") { Description = "Models folder to write (manifest.json and the checkpoint)", DefaultValueFactory = _ => "models" };
        var scale = new Option<double>("--scale") { Description = "Frame scale the model tracks at", DefaultValueFactory = _ => 1.0 };
        var best = PropagationSettings.Best;
        var temperature = new Option<double>("--temperature") { Description = "Pointer temperature", DefaultValueFactory = _ => best.Temperature };
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
            var settings = best with
            {
                Temperature = p.GetValue(temperature), Window = p.GetValue(window), TopK = p.GetValue(topk),
                Radius = p.GetValue(radius), LongTermMemory = p.GetValue(longMemory), L2Normalize = p.GetValue(l2),
            };
            var tracking = TrackerFactory.ManifestTracking(p.GetValue(scale), settings); // refused before anything is written
            var which = p.GetValue(weights)!;
            if (which is not ("best" or "last")) throw new BadInputException("--weights", $"must be best or last, got '{which}'");
            var commandLine = p.GetValue(command) ?? TrainCommandLine(TrainingRun.Load(runDir), runDir);
            var manifest = ShippedModelExport.Export(runDir, outDir, tracking, p.GetValue(notes), commandLine, which == "best");
            Console.WriteLine($"wrote {Path.Combine(outDir, manifest.File)} ({manifest.Bytes / 1e6:F1} MB, sha256 {manifest.Sha256[..12]}…), step {manifest.Steps}, loss {manifest.FinalLoss:F4}, and {Path.Combine(outDir, ModelManifest.FileName)}");
            return 0;
        });
        return cmd;
    }

    /// <summary>The `colortrack train` command that run.json describes (for runs trained in one go).</summary>
    static string TrainCommandLine(TrainingRun run, string runDir)
    {
        var t = run.Training;
        string Relative(string path) => ShippedModelExport.Relative(path);
        return "colortrack train " + string.Join(' ', new[]
        {
            run.Videos is null ? "" : "--videos " + string.Join(' ', run.Videos.Select(Relative)),
            $"--bins {Path.GetFileName(run.BinsPath)}",
            $"--preset {t.Preset}", $"--steps {t.Steps}", $"--batch {t.BatchSize}",
            $"--lr {t.LearningRate.ToString(CultureInfo.InvariantCulture)}", $"--lr-drop-step {t.LearningRateDropStep}", $"--seed {t.Seed}",
            $"--workers {run.Workers}", run.CameraPan > 0 ? $"--camera-pan {run.CameraPan.ToString(CultureInfo.InvariantCulture)}" : "",
            $"--out {Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDir)))}",
        }.Where(s => s.Length > 0));
    }
}
