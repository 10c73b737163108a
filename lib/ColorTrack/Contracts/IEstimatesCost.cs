namespace ColorTrack.Contracts;

/// <summary>
/// A tracker that can say before it starts about how long one frame will take on this machine, so a
/// command can state the cost of a clip before the first frame (a 1080p clip should not surprise).
/// </summary>
public interface IEstimatesCost
{
    /// <summary>
    /// Seconds per frame of <paramref name="height"/> x <paramref name="width"/> once the references are
    /// full, timed here on one synthetic frame (a few tenths of a second of work).
    /// </summary>
    double SecondsPerFrame(int height, int width);
}
