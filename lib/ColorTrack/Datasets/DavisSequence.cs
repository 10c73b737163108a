namespace ColorTrack.Datasets;

/// <summary>
/// One ground-truth sequence: its name, the folder of annotation PNGs, the frame names in order
/// (file names without ".png", e.g. "00000"; predictions are looked up by the same frame names) and
/// where its frames are (a folder of images or a video file; null when the data set has masks only).
/// A data set of another layout is one reader in Datasets/ that makes these records.
/// </summary>
public sealed record DavisSequence(string Name, string AnnotationFolder, IReadOnlyList<string> Frames, string? FramesFolder = null)
{
    /// <summary>The frames to track, or a clear error when the data set gave none.</summary>
    public string FramesOrThrow() => FramesFolder
        ?? throw new BadInputException(AnnotationFolder, $"sequence '{Name}' has masks but no frames (a DAVIS root needs JPEGImages/480p/{Name}/)");

    public string MaskPath(string frame) => Path.Combine(AnnotationFolder, frame + ".png");

    /// <summary>The frames the semi-supervised protocol scores: all but the first and the last.</summary>
    public IReadOnlyList<string> ScoredFrames => Frames.Count <= 2 ? [] : Frames.Skip(1).Take(Frames.Count - 2).ToArray();
}
