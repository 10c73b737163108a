using static TorchSharp.torch;

namespace ColorTrack.Propagation;

/// <summary>
/// Turns frames into per-location embeddings for <see cref="LabelPropagator"/>: a trained
/// colorization checkpoint, raw Lab pixels, an ImageNet ResNet-18, ...
///
/// Frames whose size is not a multiple of <see cref="Stride"/> are padded at the bottom and right
/// by edge replication (<see cref="LabelGrid.PadToStride"/>), so the grid is
/// ceil(H / Stride) x ceil(W / Stride) and grid cell (y, x) always covers pixels
/// [y*S, (y+1)*S) x [x*S, (x+1)*S); <see cref="LabelGrid"/> maps labels with the same convention.
/// </summary>
public interface IFrameEncoder : IDisposable
{
    /// <summary>Short name for logs and provenance ("pixels", "imagenet18", ...).</summary>
    string Name { get; }

    /// <summary>Pixels per grid cell along each axis.</summary>
    int Stride { get; }

    /// <summary>Embedding channels D.</summary>
    int Dim { get; }

    /// <summary>
    /// Embeddings [T, Dim, ceil(H/Stride), ceil(W/Stride)] of frames [T, 3, H, W] (RGB in [0, 1]),
    /// computed without gradients. Consecutive frames of one video may be given together.
    /// </summary>
    Tensor Encode(Tensor frames);

    /// <summary>A new video starts (encoders with temporal context forget the previous frames).</summary>
    void Reset() { }
}
