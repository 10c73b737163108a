using ColorTrack.Video;

namespace ColorTrack.Synthetic;

/// <summary>A generated video as an <see cref="IFrameSource"/>, so samplers and trackers read it like any video.</summary>
public sealed class SyntheticFrameSource(SyntheticVideo video) : IFrameSource
{
    public string Name => video.Name;
    public double FramesPerSecond => video.FramesPerSecond;
    public int Width => video.Width;
    public int Height => video.Height;
    public int? FrameCount => video.Frames.Count;
    public IEnumerable<VideoFrame> Frames() => video.Frames;
    public void Dispose() { }
}
