using static TorchSharp.torch;

namespace ColorTrack.Contracts;

/// <summary>
/// Carries the first frame's labels through a video: the baselines here, and the learned
/// propagator (ColorTrack.Propagation) above. It lives in the lowest layer that has trackers so
/// every tracker can implement it.
/// </summary>
public interface ILabelTracker
{
    /// <summary>Short name for logs and provenance ("identity", "flow", "pixels", ...).</summary>
    string Name { get; }

    /// <summary>
    /// Frames [3, H, W] (RGB in [0, 1]); the first is labelled by <paramref name="firstLabels"/>
    /// [C, H, W] (one-hot or soft, full resolution). Lazily yields the soft labels [C, H, W] of frames
    /// 1, 2, ...; the tracker takes ownership of (and disposes) the frames it is given, and each
    /// yielded tensor is the caller's to dispose.
    /// </summary>
    IEnumerable<Tensor> Track(IEnumerable<Tensor> frames, Tensor firstLabels);
}
