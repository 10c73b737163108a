using TorchSharp;

namespace ColorTrack.Data;

/// <summary>
/// One training batch of clips: 3 reference frames and 1 target frame each (the target is last).
/// The trainer owns and disposes it.
/// </summary>
/// <param name="Gray">Luminance input, L/50 - 1 in [-1, 1]: float32 [B, 4, 1, H, W].</param>
/// <param name="Bins">Colour-bin index of each location at feature resolution: int64 [B, 4, h, w].</param>
/// <param name="Chroma">With <see cref="ClipSamplerOptions.LabInput"/>: the a, b channels at input resolution on the
/// network scale (<see cref="Color.NetworkColor"/>): float32 [B, 4, 2, H, W]; with Gray they are the full Lab input.</param>
/// <param name="CellLab">The Lab colour of each location (area average of its cell) on the network scale: float32
/// [B, 4, 3, h, w]; the target of the regression objectives.</param>
public sealed record ClipBatch(torch.Tensor Gray, torch.Tensor Bins, torch.Tensor? Chroma = null, torch.Tensor? CellLab = null) : IDisposable
{
    public void Dispose()
    {
        Gray.Dispose();
        Bins.Dispose();
        Chroma?.Dispose();
        CellLab?.Dispose();
    }
}
