using System.CommandLine;
using ColorTrack.Baselines;
using ColorTrack.Datasets;
using ColorTrack.Evaluation;
using ColorTrack.Propagation;
using ColorTrack.Runtime;
using ColorTrack.Training;

namespace ColorTrack.Cli.Commands;

/// <summary>
/// `colortrack validate`: the score `train --validate` logs, for any checkpoint or baseline: J&amp;F of
/// tracking the first frames of each sequence of a DAVIS root at one scale with the best propagation
/// options. Quick (seconds to a minute), comparable across runs and with the training curves.
/// </summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var davis = new Option<string>("--davis") { Description = "DAVIS root to validate on (never trained on)", Required = true };
        var set = new Option<string>("--set") { Description = "Image set", DefaultValueFactory = _ => "train" };
        var frames = new Option<int>("--frames") { Description = "Frames per sequence (a fixed prefix)", DefaultValueFactory = _ => 25 };
        var scale = new Option<double>("--scale") { Description = "Frame scale of tracking", DefaultValueFactory = _ => 0.6 };
        var checkpoints = new Option<string[]>("--checkpoint") { Description = "Checkpoints to score (several allowed)", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
        var baselines = new Option<string[]>("--baseline") { Description = "Baselines to score: identity, pixels", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
        var threads = ComputeThreads.CreateOption();
        var cmd = new Command("validate", "Score checkpoints or baselines on the first frames of a DAVIS root, as `train --validate` does")
        {
            davis, set, frames, scale, checkpoints, baselines, threads,
        };
        cmd.SetAction(p =>
        {
            TorchRuntime.EnsureLoaded();
            ComputeThreads.Apply(p.GetValue(threads));
            var root = p.GetValue(davis)!;
            var (n, s) = (p.GetValue(frames), p.GetValue(scale));
            if (n < 3) throw new BadInputException("--frames", $"must be at least 3, got {n}");
            if (!(s is > 0 and <= 4)) throw new BadInputException("--scale", $"must be in (0, 4], got {s}");
            var todo = p.GetValue(checkpoints)!.Select(c => (Name: c, Kind: "checkpoint"))
                .Concat(p.GetValue(baselines)!.Select(b => (Name: b, Kind: "baseline"))).ToList();
            if (todo.Count == 0) throw new BadInputException("validate", "give --checkpoint FILE and/or --baseline identity|pixels");
            foreach (var (name, kind) in todo)
                if (kind == "baseline" && name is not ("identity" or "pixels")) throw new BadInputException("--baseline", $"unknown baseline '{name}' (identity or pixels)");
            var validator = new DavisValidator(DavisDataset.Open(root, p.GetValue(set)!, "2016"), n, s, PropagationSettings.Best);
            Console.WriteLine($"validating on {validator.Description}");
            foreach (var (name, kind) in todo)
            {
                ValidationScore score;
                if (kind == "checkpoint")
                {
                    using var ck = Model.ColorizationCheckpoint.Load(name);
                    score = validator.Score(ck.Model, CancellationToken.None);
                }
                else
                {
                    using var factory = new TrackerFactory(); // the validator scales the frames itself: scale 1
                    score = validator.Score(factory.Create(new TrackerSpec(name) { Scale = 1 }));
                }
                Console.WriteLine($"{name}: J&F {score.JAndF:F3} (J {score.J:F3}, F {score.F:F3}; {score.Seconds:F0} s)");
            }
            return 0;
        });
        return cmd;
    }
}
