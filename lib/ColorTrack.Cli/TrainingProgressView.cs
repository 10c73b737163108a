using ColorTrack.Training;
using Spectre.Console;

namespace ColorTrack.Cli;

/// <summary>A training run under a Spectre progress bar: step, loss, learning rate, clips/s and ETA.</summary>
public static class TrainingProgressView
{
    /// <param name="budget">With a time budget the bar shows time rather than steps.</param>
    public static TrainingOutcome Run(ColorizationTrainer trainer, TrainingConfig c, bool resume, CancellationToken cancel, TimeSpan? budget = null)
    {
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
}
