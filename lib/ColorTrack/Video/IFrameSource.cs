namespace ColorTrack.Video;

/// <summary>
/// A sequence of frames from one video: a folder of images, a video file, or a synthetic video.
/// Frames are produced lazily (streamed); each call to <see cref="Frames"/> starts from the beginning.
/// </summary>
public interface IFrameSource : IDisposable
{
    /// <summary>A short name: the folder or file name without extension, or the synthetic sequence name.</summary>
    string Name { get; }

    /// <summary>Rate of the frames this source yields (the target rate when resampling).</summary>
    double FramesPerSecond { get; }

    /// <summary>Width of the yielded frames (after any resize).</summary>
    int Width { get; }

    /// <summary>Height of the yielded frames (after any resize).</summary>
    int Height { get; }

    /// <summary>Number of frames it will yield, when known in advance (a video container's count can be an estimate).</summary>
    int? FrameCount { get; }

    /// <summary>The frames in order. Throws <see cref="BadInputException"/> when a frame cannot be decoded.</summary>
    IEnumerable<VideoFrame> Frames();
}
