namespace ColorTrack.Video;

/// <summary>
/// One decoded frame: RGB24 interleaved, row-major (3 * Width * Height bytes).
/// </summary>
/// <param name="Index">Position in the sequence the source yields (0, 1, 2, ... after any resampling).</param>
/// <param name="TimeSeconds">Presentation time of the decoded frame in the original video.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Rgb">RGB24 interleaved, row-major, 3 * Width * Height bytes.</param>
public sealed record VideoFrame(int Index, double TimeSeconds, int Width, int Height, byte[] Rgb)
{
    /// <summary>The pixel count, Width * Height.</summary>
    public int Pixels => Width * Height;
}
