using TorchSharp;

namespace ColorTrack.Data;

/// <summary>
/// One training batch of clips: 3 reference frames and 1 target frame each (the target is last).
/// The trainer owns and disposes it.
/// </summary>
/// <param name="Gray">Luminance input, L/50 - 1 in [-1, 1]: float32 [B, 4, 1, H, W].</param>
/// <param name="Bins">Colour-bin index of each location at feature resolution: int64 [B, 4, h, w].</param>
public sealed record ClipBatch(torch.Tensor Gray, torch.Tensor Bins) : IDisposable
{
    public void Dispose()
    {
        Gray.Dispose();
        Bins.Dispose();
    }
}
