namespace ColorTrack.Baselines;

/// <summary>
/// The optical-flow baseline's options (OpenCV Farneback dense flow; OpenCvSharp has no DIS).
/// Recursive scored best on davis2016-train (J&amp;F 0.516 vs 0.383 from the first frame; the official
/// DIS-flow fixture averages 0.506); the 0.5 threshold was not swept (Propagation/README.md).
/// </summary>
public sealed record OpticalFlowSettings
{
    /// <summary>
    /// true: warp the previous frame's labels with the flow between consecutive frames (errors
    /// accumulate, large motion is followed); false: warp the first frame's labels with the flow from
    /// the first frame straight to the current one.
    /// </summary>
    public bool Recursive { get; init; } = true;

    /// <summary>
    /// Hard decision after each warp: a pixel is an object when its most probable object has
    /// probability at least this, else background; the one-hot result is what the next frame warps.
    /// null: keep the soft warped labels (the argmax decides at the end).
    /// </summary>
    public double? Threshold { get; init; } = 0.5;

    /// <summary>Farneback: pyramid levels, window size, iterations (OpenCV's usual 0.5 scale, polyN 5, sigma 1.2).</summary>
    public int Levels { get; init; } = 5;
    public int WindowSize { get; init; } = 15;
    public int Iterations { get; init; } = 3;

    public static OpticalFlowSettings Default { get; } = new();
}
