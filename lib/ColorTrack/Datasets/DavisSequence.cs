namespace ColorTrack.Datasets;

/// <summary>
/// One ground-truth sequence: its name, the folder of annotation PNGs and the frame names in order
/// (file names without ".png", e.g. "00000"); predictions are looked up by the same frame names.
/// </summary>
public sealed record DavisSequence(string Name, string AnnotationFolder, IReadOnlyList<string> Frames)
{
    public string MaskPath(string frame) => Path.Combine(AnnotationFolder, frame + ".png");

    /// <summary>The frames the semi-supervised protocol scores: all but the first and the last.</summary>
    public IReadOnlyList<string> ScoredFrames => Frames.Count <= 2 ? [] : Frames.Skip(1).Take(Frames.Count - 2).ToArray();
}
