using System.CommandLine;
using System.Globalization;
using ColorTrack.Datasets;
using ColorTrack.Evaluation;
using ColorTrack.Model;
using ColorTrack.Propagation;
using ColorTrack.Runtime;
using Spectre.Console;

namespace ColorTrack.Cli.Commands;

/// <summary>
/// `colortrack validate`: the score `train --validate` logs, for any checkpoints or baselines: J&amp;F of
/// tracking the first frames (or all frames) of each sequence of a DAVIS root at one scale with the
/// best propagation options, with each sequence's J&amp;F beside the mean so that a choice is seen to win
/// on most sequences or through one. Under mpiexec the sequences are split over the ranks and the
/// figures are those of one process.
/// </summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var davis = new Option<string>("--davis") { Description = "DAVIS root to validate on (never trained on)", Required = true };
        var set = new Option<string>("--set") { Description = "Image set", DefaultValueFactory = _ => "train" };
        var frames = new Option<int>("--frames") { Description = "Frames per sequence (a fixed prefix; 0 = all frames)", DefaultValueFactory = _ => 25 };
        var scale = new Option<double>("--scale") { Description = "Frame scale of tracking", DefaultValueFactory = _ => 0.6 };
        var checkpoints = new Option<string[]>("--checkpoint") { Description = "Checkpoints to score, or shipped models ('default', 'paper'); several allowed", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
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
            if (n is not 0 and < 3) throw new BadInputException("--frames", $"must be at least 3, or 0 for all frames, got {n}");
            if (!(s is > 0 and <= 4)) throw new BadInputException("--scale", $"must be in (0, 4], got {s}");
            var todo = p.GetValue(checkpoints)!.Select(c => (Name: c, Kind: "checkpoint"))
                .Concat(p.GetValue(baselines)!.Select(b => (Name: b, Kind: "baseline"))).ToList();
            if (todo.Count == 0) throw new BadInputException("validate", "give --checkpoint FILE and/or --baseline identity|pixels");
            foreach (var (name, kind) in todo)
                if (kind == "baseline" && name is not ("identity" or "pixels")) throw new BadInputException("--baseline", $"unknown baseline '{name}' (identity or pixels)");

            // Each rank loads and tracks only its share of the sequences (about equal frame counts).
            var world = Mpi.World;
            var all = DavisDataset.Open(root, p.GetValue(set)!, "2016");
            var mine = WorkShare.Mine(all, q => n == 0 ? q.Frames.Count : Math.Min(n, q.Frames.Count), world);
            var validator = new DavisValidator(mine, n, s, PropagationSettings.Best);
            var speaks = world is null || world.Rank == 0;
            if (speaks) Console.WriteLine($"validating on {(world is null ? validator.Description : $"{all.Count} DAVIS sequences over {world.Size} ranks ({(n == 0 ? "all frames" : $"{n} frames each")}, scale {s:0.##})")}");

            var names = all.Select(q => q.Name).ToList();
            var results = new List<(string Name, DavisEvaluation Evaluation)>();
            foreach (var (name, kind) in todo)
            {
                var seconds = System.Diagnostics.Stopwatch.StartNew();
                DavisEvaluation evaluation;
                using (var factory = new TrackerFactory())
                {
                    if (kind == "checkpoint")
                    {
                        using var ck = ColorizationCheckpoint.Load(ShippedModel.Resolve(name).Path);
                        evaluation = validator.Evaluate(factory.Create(ck.Model, PropagationSettings.Best));
                    }
                    else evaluation = validator.Evaluate(factory.Create(new TrackerSpec(name) { Scale = 1 })); // the validator scales the frames itself
                }
                evaluation = DavisEvaluationAcrossRanks.Combine(evaluation, names, world);
                results.Add((name, evaluation));
                if (speaks) Console.WriteLine($"{name}: J&F {evaluation.JAndFMean:F3} (J {evaluation.J.Mean:F3}, F {evaluation.F.Mean:F3}; {seconds.Elapsed.TotalSeconds:F0} s)");
            }
            if (speaks) ResultsConsole.Write(PerSequence(names, results));
            return 0;
        });
        return cmd;
    }

    /// <summary>J&amp;F per sequence (mean over its objects) for every candidate, the mean, and the spread over sequences.</summary>
    static Table PerSequence(IReadOnlyList<string> sequences, IReadOnlyList<(string Name, DavisEvaluation Evaluation)> results)
    {
        var table = new Table().AddColumn("sequence");
        foreach (var (name, _) in results) table.AddColumn(new TableColumn(Markup.Escape(Path.GetFileName(name))).RightAligned());
        var perSequence = results.Select(r => sequences.Select(q => r.Evaluation.Objects.Where(o => o.Sequence == q).Select(o => o.JAndFMean).DefaultIfEmpty(double.NaN).Average()).ToArray()).ToList();
        for (int i = 0; i < sequences.Count; i++)
            table.AddRow([Markup.Escape(sequences[i]), .. perSequence.Select(v => F(v[i]))]);
        table.AddRow(["[bold]J&F-Mean[/]", .. results.Select(r => $"[bold]{F(r.Evaluation.JAndFMean)}[/]")]);
        table.AddRow(["sd over sequences", .. perSequence.Select(v => F(StandardDeviation(v)))]);
        if (results.Count > 1)
            table.AddRow([$"sequences ahead of {Markup.Escape(Path.GetFileName(results[0].Name))}", "-",
                .. perSequence.Skip(1).Select(v => $"{v.Where((x, i) => x > perSequence[0][i]).Count()} of {sequences.Count}")]);
        return table;
    }

    static string F(double v) => double.IsNaN(v) ? "-" : v.ToString("F3", CultureInfo.InvariantCulture);

    static double StandardDeviation(double[] v)
    {
        var mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, v.Length - 1));
    }
}
