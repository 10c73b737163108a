using ColorTrack.Model;
using TorchSharp;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ColorTrack.Training;

/// <summary>
/// The colorization objective, equations 1-3 of the paper: every target location j points to the
/// locations i of all reference frames (<see cref="Pointer.Copy"/>), copies their colours
/// y_j = sum_i A_ij c_i (c_i one-hot over the K colour bins), and is scored by the cross-entropy of y_j
/// against its true bin. y_j is already a probability distribution, so the loss takes its log
/// directly (it is not a vector of logits).
/// </summary>
public static class ColorizationObjective
{
    /// <summary>Smallest probability whose log is taken: keeps the loss finite when a bin gets no mass.</summary>
    public const double MinProbability = 1e-8;

    /// <summary>
    /// Equations 1-2. References f_i [B, N, D] with bins [B, N] (int64), targets f_j [B, M, D]:
    /// the copied colour distribution y [B, M, K].
    /// </summary>
    public static Tensor PredictColors(Tensor refEmb, Tensor refBins, Tensor tgtEmb, int bins, double temperature = 1.0)
    {
        using var scope = NewDisposeScope();
        var c = functional.one_hot(refBins, bins).to(refEmb.dtype);       // [B, N, K]
        return Pointer.Copy(refEmb, c, tgtEmb, temperature).MoveToOuterDisposeScope(); // [B, M, K]
    }

    /// <summary>
    /// Equation 3 on a batch of clips: embeddings [B, T, D, h, w] and bins [B, T, h, w]; frames
    /// 0..T-2 are the references, frame T-1 the target. Returns the mean cross-entropy (a scalar), in nats.
    /// </summary>
    public static Tensor Loss(Tensor embeddings, Tensor bins, int k, double temperature = 1.0)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (embeddings.shape[0], embeddings.shape[1]);
        var (refs, tgt) = Pointer.Split(embeddings);                      // [B, N, D], [B, M, D]
        var refBins = bins.narrow(1, 0, t - 1).reshape(b, -1);             // [B, N]
        var tgtBins = bins.select(1, t - 1).reshape(-1);                   // [B*M]
        var y = PredictColors(refs, refBins, tgt, k, temperature);         // [B, M, K]
        var logY = log(y.Safe().ClampMin(MinProbability)).reshape(-1, k);     // [B*M, K]
        return functional.nll_loss(logY, tgtBins).MoveToOuterDisposeScope();
    }
}
