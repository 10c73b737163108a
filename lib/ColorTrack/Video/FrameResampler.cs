namespace ColorTrack.Video;

/// <summary>
/// Picks which source frames to show at a target frame rate, by timestamps: output frame k is due
/// at time t0 + k / targetFps and is the source frame nearest to it (ties go to the earlier frame).
/// Lowering the rate drops frames, raising it repeats them. Works on a stream: one source frame at a time.
/// </summary>
public sealed class FrameResampler(double sourceFps, double? targetFps)
{
    readonly double _halfSourcePeriod = 0.5 / sourceFps;
    double? _start;
    int _next; // index of the next output frame

    /// <summary>Output indices to give the source frame at <paramref name="time"/> (none, one, or several when upsampling).</summary>
    public IEnumerable<int> Take(double time)
    {
        if (targetFps is not { } fps) { yield return _next++; yield break; }
        _start ??= time;
        // Due times strictly before this frame's successor takes over (t + half a source period).
        while (_start.Value + _next / fps < time + _halfSourcePeriod - 1e-9) yield return _next++;
    }

    /// <summary>How many frames a source of <paramref name="count"/> frames gives at the target rate.</summary>
    public static int ResampledCount(int count, double sourceFps, double? targetFps) =>
        targetFps is not { } fps || count == 0 ? count : (int)Math.Ceiling((count - 0.5) * fps / sourceFps - 1e-9);
}
