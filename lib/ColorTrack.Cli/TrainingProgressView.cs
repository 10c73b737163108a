using ColorTrack.Training;
using Spectre.Console;

namespace ColorTrack.Cli;

/// <summary>A training run under a Spectre progress bar: step, loss, learning rate, clips/s and ETA.</summary>
public static class TrainingProgressView
{
    /// <summary>libtorch errors survived per run by going back to the last checkpoint.</summary>
    public const int MaxNativeRecoveries = 10;

    /// <summary>
    /// Train; when libtorch raises an error inside a step (we have seen rare, non-reproducible ones
    /// on long CPU runs: "Unknown scalar type" in BatchNorm, a failed internal assert), continue
    /// from the last checkpoint instead of dying: at most one checkpoint interval is redone, and
    /// the resumed run sees exactly the batches the uninterrupted one would have.
    /// </summary>
    /// <param name="budget">With a time budget the bar shows time rather than steps.</param>
    public static TrainingOutcome Run(ColorizationTrainer trainer, TrainingConfig c, bool resume, CancellationToken cancel, TimeSpan? budget = null)
    {
        for (var recoveries = 0; ; recoveries++)
        {
            try { return RunOnce(trainer, c, resume || recoveries > 0, cancel, budget); }
            // One process only: a rank going back alone would leave the others waiting at another step (the job ends; --resume continues it).
            catch (System.Runtime.InteropServices.ExternalException e) when (recoveries < MaxNativeRecoveries && File.Exists(trainer.CheckpointPath) && Runtime.Mpi.World is null)
            {
                Console.Error.WriteLine($"warning: libtorch error during training ({Runtime.ErrorText.FirstLine(e.Message)}); " +
                                        $"continuing from the last checkpoint ({recoveries + 1}/{MaxNativeRecoveries})");
            }
        }
    }

    /// <summary>With output redirected (a log file), a progress line at least this often.</summary>
    public const int LogEverySteps = 25;
    public static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(30);

    static TrainingOutcome RunOnce(ColorizationTrainer trainer, TrainingConfig c, bool resume, CancellationToken cancel, TimeSpan? budget)
    {
        if (Console.IsOutputRedirected) return RunLogged(trainer, c, resume, cancel, budget);
        TrainingOutcome? outcome = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("starting", maxValue: budget?.TotalSeconds ?? c.Steps);
                var rate = double.NaN; // smoothed clips/s
                var sw = System.Diagnostics.Stopwatch.StartNew();
                outcome = trainer.Run(resume, p =>
                {
                    rate = double.IsNaN(rate) ? p.ClipsPerSecond : 0.9 * rate + 0.1 * p.ClipsPerSecond;
                    task.Value = budget is null ? p.Step : Math.Min(sw.Elapsed.TotalSeconds, budget.Value.TotalSeconds);
                    var of = budget is null ? $"/{p.TotalSteps}" : "";
                    task.Description = $"step {p.Step}{of}  loss {p.Loss:F4}  lr {p.LearningRate:G2}  {rate:F1} clips/s";
                }, cancel);
                task.Value = task.MaxValue;
            });
        return outcome!;
    }

    /// <summary>
    /// A log rather than a bar: Spectre redraws a bar only on a terminal, and redirected it printed a
    /// handful of lines per run, so a log showed "step 2/400" while training was at step 69. One line
    /// every <see cref="LogEverySteps"/> steps or <see cref="LogEvery"/>, whichever comes first, with rate and ETA.
    /// </summary>
    static TrainingOutcome RunLogged(ColorizationTrainer trainer, TrainingConfig c, bool resume, CancellationToken cancel, TimeSpan? budget)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        long firstStep = -1;
        var rate = double.NaN;
        return trainer.Run(resume, p =>
        {
            if (firstStep < 0) firstStep = p.Step - 1;
            rate = double.IsNaN(rate) ? p.ClipsPerSecond : 0.9 * rate + 0.1 * p.ClipsPerSecond;
            if (p.Step % LogEverySteps != 0 && sw.Elapsed - last < LogEvery && p.Step != p.TotalSteps) return;
            last = sw.Elapsed;
            double stepsPerSecond = (p.Step - firstStep) / Math.Max(1e-9, sw.Elapsed.TotalSeconds);
            var eta = budget is { } b ? b - sw.Elapsed : TimeSpan.FromSeconds((p.TotalSteps - p.Step) / Math.Max(1e-9, stepsPerSecond));
            Console.WriteLine($"step {p.Step}/{p.TotalSteps}  loss {p.Loss:F4}  lr {p.LearningRate:G2}  {rate:F1} clips/s  elapsed {sw.Elapsed:hh\\:mm\\:ss}  eta {(eta < TimeSpan.Zero ? TimeSpan.Zero : eta):hh\\:mm\\:ss}");
        }, cancel);
    }
}
