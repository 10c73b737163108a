using ColorTrack.Datasets;
using ColorTrack.Imaging;
using ColorTrack.Video;
using TorchSharp;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;

namespace ColorTrack.Synthetic;

/// <summary>
/// One generated video held in memory: frames, the exact object masks (id 1..N, 0 = background,
/// one id per object) and the stick figure's keypoints (JHMDB's 15 joints in pixels, zero-based; a
/// joint is visible when it lies inside the frame and no object in front of the figure covers it; null
/// when the video has no figure).
/// </summary>
public sealed record SyntheticVideo(
    string Name,
    double FramesPerSecond,
    IReadOnlyList<VideoFrame> Frames,
    IReadOnlyList<IndexedMask> Masks,
    KeypointsFile? Keypoints)
{
    public int Width => Frames[0].Width;
    public int Height => Frames[0].Height;

    /// <summary>Number of object ids in the masks.</summary>
    public int ObjectCount => Masks.Max(m => m.MaxId());

    /// <summary>Frames as a tensor [T, 3, H, W], float32 RGB in [0, 1].</summary>
    public Tensor ToTensor()
    {
        int t = Frames.Count, h = Height, w = Width;
        var bytes = new byte[t * h * w * 3];
        for (int i = 0; i < t; i++) Frames[i].Rgb.CopyTo(bytes, i * h * w * 3);
        using var raw = tensor(bytes, new long[] { t, h, w, 3 });                     // [T, H, W, 3] uint8
        return raw.permute(0, 3, 1, 2).to_type(ScalarType.Float32).div_(S(255)).contiguous();
    }

    /// <summary>A frame source over the frames (for code that reads any video through <see cref="IFrameSource"/>).</summary>
    public IFrameSource AsFrameSource() => new SyntheticFrameSource(this);
}
