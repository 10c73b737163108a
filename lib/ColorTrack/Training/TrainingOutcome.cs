namespace ColorTrack.Training;

/// <summary>How a call to <see cref="ColorizationTrainer.Run"/> ended.</summary>
/// <param name="Step">Steps done when it stopped (equals the run's total when completed).</param>
/// <param name="Completed">False when it was cancelled (Ctrl-C); a checkpoint was written either way.</param>
/// <param name="LastLoss">Loss of the last step done in this session (NaN if none).</param>
/// <param name="CheckpointPath">The checkpoint holding the state at <paramref name="Step"/>.</param>
public sealed record TrainingOutcome(long Step, bool Completed, double LastLoss, string CheckpointPath);
