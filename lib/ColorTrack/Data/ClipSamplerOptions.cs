namespace ColorTrack.Data;

/// <summary>
/// How training clips are drawn. Defaults are the paper's (section 3.4): 4 frames (3 references +
/// 1 target) at 6 fps, down-sampled to 256x256, colour targets at the 32x32 feature resolution.
/// </summary>
/// <param name="BatchSize">Clips per batch (B).</param>
/// <param name="FrameSize">Side of the square network input (H = W).</param>
/// <param name="Stride">Output stride of the network: targets are FrameSize / Stride on a side.</param>
/// <param name="ClipLength">Frames per clip; the last one is the target.</param>
/// <param name="FramesPerSecond">Training frame rate real videos are resampled to (synthetic ones are used as generated).</param>
/// <param name="Augment">Random crop/scale and horizontal flip, the same for every frame of a clip.</param>
/// <param name="MinCropScale">Smallest crop side as a fraction of the (cached) frame; crops are resized to FrameSize.</param>
/// <param name="MaxCropScale">Largest crop side, likewise (1: the whole frame). Below 1, every clip is a close-up: objects
/// appear larger than in the frame, as they do to a tracker that enlarges small clips.</param>
/// <param name="CameraPan">Simulated camera motion: the crop window of a clip drifts by up to this fraction of its
/// side per frame (a random velocity per clip, within the cached frame). Paper: 0. Mostly static video lets a short
/// run learn "copy the same place of the last reference"; a moving window makes the pointer follow appearance.</param>
/// <param name="LabInput">Also hand out the a, b channels at input resolution (<see cref="ClipBatch.Chroma"/>), for
/// models that see colour (the Lab-reconstruction objective). Off: gray input only, as the paper.</param>
/// <param name="ColorJitter">Per-clip colour jitter (the same for all frames of a clip): lightness gain and offset, and a
/// rotation and gain of the ab plane, each up to this strength (0.1: gain 0.9-1.1, hue rotation up to 0.1 rad).
/// Bins and cell colours are taken after the jitter. Paper: 0.</param>
/// <param name="Workers">Background threads preparing batches (1..N).</param>
/// <param name="Prefetch">Batches prepared ahead of the trainer at most.</param>
/// <param name="CacheMegabytes">Memory for decoded low-resolution frames (least recently used videos are dropped beyond it).</param>
/// <param name="Seed">The batch sequence is a function of the seed alone, whatever the number or timing of workers.</param>
public sealed record ClipSamplerOptions(
    int BatchSize = 8,
    int FrameSize = 256,
    int Stride = 8,
    int ClipLength = 4,
    double FramesPerSecond = 6,
    bool Augment = true,
    double MinCropScale = 0.8,
    double MaxCropScale = 1.0,
    double CameraPan = 0,
    bool LabInput = false,
    double ColorJitter = 0,
    int Workers = 1,
    int Prefetch = 4,
    int CacheMegabytes = 2048,
    int Seed = 0)
{
    /// <summary>The paper's setting.</summary>
    public static readonly ClipSamplerOptions Paper = new();

    /// <summary>Side of the target maps (h = w).</summary>
    public int FeatureSize => FrameSize / Stride;

    /// <summary>Side of the frames kept in the cache: large enough that every crop is a down-sampling.</summary>
    public int CacheSize => Augment ? (int)Math.Ceiling(FrameSize / MinCropScale) : FrameSize;

    public void Validate()
    {
        if (BatchSize < 1 || ClipLength < 1 || Workers < 1 || Prefetch < 1) throw new ArgumentException("batch size, clip length, workers and prefetch must be at least 1");
        if (FrameSize < 8 || Stride < 1 || FrameSize % Stride != 0) throw new ArgumentException($"frame size {FrameSize} must be a multiple of the stride {Stride}");
        if (MinCropScale <= 0 || MinCropScale > 1) throw new ArgumentException("MinCropScale must be in (0, 1]");
        if (MaxCropScale < MinCropScale || MaxCropScale > 1) throw new ArgumentException("MaxCropScale must be in [MinCropScale, 1]");
        if (FramesPerSecond <= 0) throw new ArgumentException("frame rate must be positive");
        if (CameraPan < 0 || CameraPan > 0.5) throw new ArgumentException("camera pan must be within [0, 0.5] of the crop side per frame");
        if (ColorJitter < 0 || ColorJitter > 0.5) throw new ArgumentException("colour jitter must be within [0, 0.5]");
    }
}
