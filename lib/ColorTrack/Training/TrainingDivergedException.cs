namespace ColorTrack.Training;

/// <summary>
/// The loss became NaN or infinite. Training stopped before the bad update was applied; the run
/// folder keeps the last good checkpoint (named in the message), from which one can resume with a
/// lower learning rate.
/// </summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
