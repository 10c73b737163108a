namespace ColorTrack.Training;

/// <summary>How a training run validates (see <see cref="TrainingRun"/>).</summary>
/// <param name="Root">DAVIS root whose sequences are scored (never trained on).</param>
/// <param name="Set">Its image set.</param>
/// <param name="Frames">Frames per sequence, a fixed prefix (cheap, comparable across steps; at least 3).</param>
/// <param name="Scale">Frame scale of the validation tracking (the model's tracking scale).</param>
public sealed record ValidationSettings(string Root, string Set, int Frames, double Scale)
{
    /// <summary>Throws <see cref="BadInputException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (Frames < 3) throw BadInputException.Setting("ValidationSettings.Frames", $"must be at least 3, got {Frames}");
        if (!(Scale is > 0 and <= 4)) throw BadInputException.Setting("ValidationSettings.Scale", $"must be in (0, 4], got {Scale}");
    }
}
