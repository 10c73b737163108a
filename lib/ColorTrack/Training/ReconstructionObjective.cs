using ColorTrack.Model;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ColorTrack.Training;

/// <summary>
/// Colour regression through the same pointer (the later trackers' objective, e.g. MAST): the target
/// frame's colours are copied from the references' actual colours, y_j = sum_i A_ij c_i with c_i the
/// Lab (or ab) value of reference location i, and scored by a Huber loss against the target's own
/// colour. Unlike 16 bins, nearby shades stay distinguishable, so the pointer is rewarded for finding
/// the exact place rather than any place of the same bin.
/// </summary>
public static class ReconstructionObjective
{
    /// <summary>Huber transition (on the network colour scale, where 0.1 is 5 Lab units): L1 beyond it, L2 within.</summary>
    public const double HuberBeta = 0.1;

    /// <summary>
    /// Embeddings [B, T, D, h, w] and colours [B, T, C, h, w] (network scale); frames 0..T-2 are the
    /// references, frame T-1 the target. Returns the mean Huber loss over target locations and channels.
    /// </summary>
    public static Tensor Loss(Tensor embeddings, Tensor colors, double temperature = 1.0)
    {
        using var scope = NewDisposeScope();
        var (b, t, c) = (colors.shape[0], colors.shape[1], colors.shape[2]);
        var (refs, tgt) = Pointer.Split(embeddings);                                              // [B, N, D], [B, M, D]
        var refColors = colors.narrow(1, 0, t - 1).permute(0, 1, 3, 4, 2).reshape(b, -1, c);      // [B, N, C]
        var tgtColors = colors.select(1, t - 1).flatten(2).transpose(1, 2);                       // [B, M, C]
        var y = Pointer.Copy(refs, refColors, tgt, temperature);                                  // [B, M, C]
        return functional.smooth_l1_loss(y, tgtColors.to(y.dtype), beta: HuberBeta).MoveToOuterDisposeScope();
    }
}
