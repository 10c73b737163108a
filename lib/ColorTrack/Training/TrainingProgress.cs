namespace ColorTrack.Training;

/// <summary>One finished optimizer step, as reported to the progress callback and the metrics log.</summary>
/// <param name="Step">Steps done so far (1-based: the first update is step 1).</param>
/// <param name="TotalSteps">Steps the run will do in all.</param>
/// <param name="Loss">This step's colorization loss (nats).</param>
/// <param name="LearningRate">Learning rate used for this step.</param>
/// <param name="ClipsPerSecond">Throughput of this step (batch / step time, data wait included).</param>
/// <param name="WallSeconds">Training time so far, summed over resumed sessions.</param>
public sealed record TrainingProgress(long Step, long TotalSteps, double Loss, double LearningRate, double ClipsPerSecond, double WallSeconds)
{
    /// <summary>Remaining time at the current rate.</summary>
    public TimeSpan? Eta(double secondsPerStep) =>
        secondsPerStep > 0 && double.IsFinite(secondsPerStep) ? TimeSpan.FromSeconds(secondsPerStep * (TotalSteps - Step)) : null;
}
