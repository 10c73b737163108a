using ColorTrack.Runtime;
using OpenCvSharp;

namespace ColorTrack.Video;

/// <summary>
/// A video file decoded by OpenCV (FFmpeg): mp4, avi, webm, ... Frames are decoded one at a time
/// (a long video is never held in memory), optionally resampled to a target rate by their timestamps
/// and resized. Each <see cref="Frames"/> call decodes from the start with its own decoder.
/// </summary>
public sealed class VideoFileSource : IFrameSource
{
    readonly FrameSourceOptions _options;
    readonly int _nativeWidth, _nativeHeight, _nativeCount;

    public string Name { get; }
    public string Path { get; }
    public double NativeFramesPerSecond { get; }
    public double FramesPerSecond => _options.TargetFps ?? NativeFramesPerSecond;
    public int Width { get; }
    public int Height { get; }
    public int? FrameCount { get; }

    public VideoFileSource(string path, FrameSourceOptions? options = null)
    {
        OpenCvRuntime.EnsureLoaded();
        _options = options ?? FrameSourceOptions.Native;
        Path = System.IO.Path.GetFullPath(path);
        Name = System.IO.Path.GetFileNameWithoutExtension(Path);
        if (!File.Exists(Path)) throw new BadInputException(path, "file not found");
        if (new FileInfo(Path).Length == 0) throw new BadInputException(path, "empty file, not a video");

        using var capture = OpenCapture(path);
        _nativeWidth = capture.FrameWidth;
        _nativeHeight = capture.FrameHeight;
        var fps = capture.Fps;
        NativeFramesPerSecond = double.IsFinite(fps) && fps > 0 && fps < 1000 ? fps : 30; // some containers carry no rate
        _nativeCount = Math.Max(0, capture.FrameCount);
        using var probe = new Mat();
        if (_nativeWidth <= 0 || _nativeHeight <= 0 || !capture.Read(probe) || probe.Empty())
            throw new BadInputException(path, "no decodable video frames");
        (_nativeWidth, _nativeHeight) = (probe.Width, probe.Height);
        (Width, Height) = _options.OutputSize(_nativeWidth, _nativeHeight);
        int? count = _nativeCount > 0 ? FrameResampler.ResampledCount(_nativeCount, NativeFramesPerSecond, _options.TargetFps) : null;
        FrameCount = _options.MaxFrames is { } max && count is { } c ? Math.Min(max, c) : count;
    }

    static VideoCapture OpenCapture(string path)
    {
        var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw new BadInputException(path, "cannot be opened as a video (unknown or corrupt format)");
        }
        return capture;
    }

    public IEnumerable<VideoFrame> Frames()
    {
        using var capture = OpenCapture(Path);
        using var bgr = new Mat();
        var resampler = new FrameResampler(NativeFramesPerSecond, _options.TargetFps);
        double last = double.NegativeInfinity;
        int yielded = 0;
        for (int i = 0; ; i++)
        {
            if (!capture.Read(bgr) || bgr.Empty())
            {
                if (i == 0) throw new BadInputException(Path, "no decodable video frames");
                yield break;
            }
            // The container's timestamp when it moves forward; the frame count over the rate otherwise.
            double pts = capture.PosMsec / 1000.0;
            double time = double.IsFinite(pts) && pts > last ? pts : Math.Max(i / NativeFramesPerSecond, last + 1e-6);
            last = time;
            foreach (var k in resampler.Take(time))
            {
                if (_options.MaxFrames is { } max && yielded >= max) yield break;
                yield return OpenCvFrames.ToFrame(bgr, k, time, Width, Height);
                yielded++;
            }
        }
    }

    public void Dispose() { }
}
