namespace ColorTrack.Evaluation;

/// <summary>
/// One object of one sequence: its per-frame J and F over the scored frames (first and last frame
/// of the sequence excluded) and their statistics. <see cref="FrameCount"/> is the sequence length,
/// so a scored frame's position in the video is (index + 1) / (FrameCount - 1).
/// </summary>
public sealed record DavisObjectResult(
    string Sequence, int ObjectId, int FrameCount, IReadOnlyList<string> Frames,
    double[] J, double[] F, MetricStatistics JStats, MetricStatistics FStats)
{
    public double JAndFMean => (JStats.Mean + FStats.Mean) / 2;

    public static DavisObjectResult Create(string sequence, int objectId, int frameCount, IReadOnlyList<string> frames, double[] j, double[] f) =>
        new(sequence, objectId, frameCount, frames, j, f, MetricStatistics.Of(j), MetricStatistics.Of(f));
}
