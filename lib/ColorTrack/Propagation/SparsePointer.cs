using ColorTrack.Model;
using ColorTrack.Runtime;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ColorTrack.Propagation;

/// <summary>
/// The pointer of equations 1-2 (<see cref="Pointer"/>) with the options tracking adds: a radius (a
/// mask of the references each target may see) and top-k (only the k largest A_ij per target,
/// renormalised). The label propagator calls it on chunks of a frame's targets; <see cref="TopKMixer"/>
/// is its fused top-k path for long windows.
/// </summary>
public static class SparsePointer
{
    /// <param name="refEmb">Reference embeddings f_i [..., N, D].</param>
    /// <param name="refValues">What each reference carries, c_i [..., N, C] (labels, colour bins one-hot, colours).</param>
    /// <param name="tgtEmb">Target embeddings f_j [..., M, D].</param>
    /// <param name="temperature">T: the affinities f_i . f_j are divided by it before the softmax.</param>
    /// <param name="allowed">Optional bool mask [..., M, N/g]: target j may point to reference i. The
    /// references are g equal blocks (frames) that share the mask (a radius is the same in every frame).</param>
    /// <param name="topK">Keep the k largest affinities per target (0 = all).</param>
    public static Tensor Copy(Tensor refEmb, Tensor refValues, Tensor tgtEmb, double temperature = 1.0, Tensor? allowed = null, int topK = 0)
    {
        long n = refEmb.shape[^2];
        if (allowed is null && (topK <= 0 || topK >= n)) return Pointer.Copy(refEmb, refValues, tgtEmb, temperature);
        using var scope = NewDisposeScope();
        var logits = Pointer.Logits(refEmb, tgtEmb, temperature);           // [..., M, N]
        if (allowed is not null)
        {
            long perBlock = allowed.shape[^1];
            logits.view([.. logits.shape[..^1], n / perBlock, perBlock])       // [..., M, g, N/g]
                .masked_fill_(allowed.logical_not().unsqueeze(-2), S(double.NegativeInfinity));
        }
        if (topK <= 0 || topK >= n)
        {
            var a = functional.softmax(Pointer.Wide(logits), dim: -1);        // A over the allowed references
            return a.matmul(refValues.to(a.dtype)).MoveToOuterDisposeScope(); // [..., M, C]
        }
        var (best, index) = logits.topk(topK, dim: -1);                        // [..., M, k]
        var weights = functional.softmax(Pointer.Wide(best), dim: -1).unsqueeze(-1); // [..., M, k, 1]
        long c = refValues.shape[^1];
        if (refValues.dim() == 3) // a batch: clip b's references are rows b*N .. b*N+N-1 of the flattened values
            index = index.Plus(Scalars.Range(0, refValues.shape[0]).mul_(I(n)).view(-1, 1, 1));
        var picked = refValues.reshape(-1, c).index_select(0, index.reshape(-1)).view([.. index.shape, c]); // [..., M, k, C]
        return (weights * picked).sum(-2).MoveToOuterDisposeScope();          // [..., M, C]
    }
}
