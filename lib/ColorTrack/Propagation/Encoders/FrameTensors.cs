using ColorTrack.Video;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;

namespace ColorTrack.Propagation;

/// <summary>Video frames as the tensors trackers take: [3, H, W] float RGB in [0, 1].</summary>
public static class FrameTensors
{
    public static Tensor From(VideoFrame frame)
    {
        using var scope = NewDisposeScope();
        var rgb = tensor(frame.Rgb, ScalarType.Byte).view(frame.Height, frame.Width, 3); // [H, W, 3] interleaved
        return rgb.permute(2, 0, 1).to(float32).div_(S(255)).MoveToOuterDisposeScope();   // [3, H, W]
    }

    /// <summary>Lazily converts a source's frames (the tracker disposes each tensor).</summary>
    public static IEnumerable<Tensor> From(IFrameSource source)
    {
        foreach (var f in source.Frames()) yield return From(f);
    }
}
