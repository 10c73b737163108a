using ColorTrack.Model;

namespace ColorTrack.Contracts;

/// <summary>
/// Scores the model being trained as a tracker (e.g. J&amp;F on held-out DAVIS sequences), so tracker
/// quality is a curve over training. Implemented by Evaluation (DavisValidator) and handed to the trainer (Training); both see it here.
/// </summary>
public interface ITrainingValidator
{
    /// <summary>What is scored, for logs (e.g. "davis2016-train, 6 sequences x 25 frames, scale 0.6").</summary>
    string Description { get; }

    /// <summary>Score the model (the trainer restores its training mode afterwards). Higher is better.</summary>
    ValidationScore Score(ColorizationModel model, CancellationToken cancel);
}
