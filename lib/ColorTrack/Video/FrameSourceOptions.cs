namespace ColorTrack.Video;

/// <summary>
/// How to read a video.
/// </summary>
/// <param name="TargetFps">Resample to this frame rate by timestamps (null = every native frame). The paper trains at 6 fps.</param>
/// <param name="Width">Resize frames to this width (null = native; with only one of Width/Height the aspect ratio is kept).</param>
/// <param name="Height">Resize frames to this height (null = native).</param>
/// <param name="FolderFps">Rate assumed for a folder of images, which carries no timing (DAVIS is 24 fps, JHMDB 30).</param>
/// <param name="MaxFrames">Stop after this many yielded frames (null = all).</param>
public sealed record FrameSourceOptions(
    double? TargetFps = null,
    int? Width = null,
    int? Height = null,
    double FolderFps = 24,
    int? MaxFrames = null)
{
    /// <summary>Every frame at native size.</summary>
    public static readonly FrameSourceOptions Native = new();

    /// <summary>The output size for a native size, honouring Width/Height (one alone keeps the aspect ratio).</summary>
    public (int Width, int Height) OutputSize(int nativeWidth, int nativeHeight) => (Width, Height) switch
    {
        (null, null) => (nativeWidth, nativeHeight),
        ({ } w, { } h) => (w, h),
        ({ } w, null) => (w, Math.Max(1, (int)Math.Round((double)nativeHeight * w / nativeWidth))),
        (null, { } h) => (Math.Max(1, (int)Math.Round((double)nativeWidth * h / nativeHeight)), h),
    };
}
