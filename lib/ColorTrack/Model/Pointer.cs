using ColorTrack.Runtime;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ColorTrack.Model;

/// <summary>
/// The paper's pointer (equations 1-2), the one place the method's copy is written: every target
/// location j points to the reference locations i with
///     A_ij = softmax_i(f_i . f_j / T)
/// and copies their values, y_j = sum_i A_ij c_i. Training calls it densely on a batch of clips
/// (c = one-hot colour bins for the paper's objective, Lab colours for the reconstruction ones);
/// the label propagator calls it on chunks of a frame's targets with its inference options: a radius
/// (a mask of the references each target may see) and top-k (only the k largest A_ij per target,
/// renormalised). The colorization pictures call it through the objective.
/// </summary>
public static class Pointer
{
    /// <summary>
    /// References f_i [..., N, D] with values c_i [..., N, C], targets f_j [..., M, D] (no batch
    /// dimension, or one: [B, ...]): the copied values y [..., M, C].
    /// </summary>
    /// <param name="refEmb">Reference embeddings f_i [..., N, D].</param>
    /// <param name="refValues">What each reference carries, c_i [..., N, C] (colour bins one-hot, colours, labels).</param>
    /// <param name="tgtEmb">Target embeddings f_j [..., M, D].</param>
    /// <param name="temperature">T: the affinities f_i . f_j are divided by it before the softmax.</param>
    /// <param name="allowed">Optional bool mask [..., M, N/g]: target j may point to reference i. The
    /// references are g equal blocks (frames) that share the mask (a radius is the same in every frame).</param>
    /// <param name="topK">Keep the k largest affinities per target (0 = all).</param>
    public static Tensor Copy(Tensor refEmb, Tensor refValues, Tensor tgtEmb, double temperature = 1.0, Tensor? allowed = null, int topK = 0)
    {
        using var scope = NewDisposeScope();
        var logits = tgtEmb.matmul(refEmb.transpose(-1, -2));               // [..., M, N]: f_i . f_j
        if (temperature != 1.0) logits = logits.mul_(S(1.0 / temperature));
        long n = logits.shape[^1];
        if (allowed is not null)
        {
            long perBlock = allowed.shape[^1];
            logits.view([.. logits.shape[..^1], n / perBlock, perBlock])       // [..., M, g, N/g]
                .masked_fill_(allowed.logical_not().unsqueeze(-2), S(double.NegativeInfinity));
        }
        if (topK > 0 && topK < n)
        {
            var (best, index) = logits.topk(topK, dim: -1);                    // [..., M, k]
            var weights = functional.softmax(Wide(best), dim: -1).unsqueeze(-1); // [..., M, k, 1]
            long c = refValues.shape[^1];
            if (refValues.dim() == 3) // one block of N rows per batch element in the flattened values
                index = index.Plus(Scalars.Range(0, refValues.shape[0]).mul_(I(n)).view(-1, 1, 1));
            var picked = refValues.reshape(-1, c).index_select(0, index.reshape(-1)).view([.. index.shape, c]); // [..., M, k, C]
            return (weights * picked).sum(-2).MoveToOuterDisposeScope();      // [..., M, C]
        }
        var a = functional.softmax(Wide(logits), dim: -1);                    // A: each target's row sums to 1 over refs i
        return a.matmul(refValues.to(a.dtype)).MoveToOuterDisposeScope();     // [..., M, C] = sum_i A_ij c_i
    }

    /// <summary>bfloat16 affinities (8 significant bits) are widened to float32 before the softmax and the mix.</summary>
    static Tensor Wide(Tensor x) => x.dtype == ScalarType.BFloat16 ? x.to(ScalarType.Float32) : x;

    /// <summary>
    /// A clip's embeddings [B, T, D, h, w] split into references (frames 0..T-2, flattened to
    /// [B, N = (T-1)hw, D]) and the target (frame T-1, [B, M = hw, D]).
    /// </summary>
    public static (Tensor Refs, Tensor Target) Split(Tensor embeddings)
    {
        var (b, t, d) = (embeddings.shape[0], embeddings.shape[1], embeddings.shape[2]);
        var refs = embeddings.narrow(1, 0, t - 1).permute(0, 1, 3, 4, 2).reshape(b, -1, d); // [B, N, D]
        var tgt = embeddings.select(1, t - 1).flatten(2).transpose(1, 2);                     // [B, M, D]
        return (refs, tgt);
    }
}
