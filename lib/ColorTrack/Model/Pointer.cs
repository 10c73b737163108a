using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ColorTrack.Model;

/// <summary>
/// The paper's pointer (equations 1-2), the one place the method's copy is written: every target
/// location j points to the reference locations i with
///     A_ij = softmax_i(f_i . f_j / T)
/// and copies their values, y_j = sum_i A_ij c_i. Training calls it on a batch of clips (c = one-hot
/// colour bins for the paper's objective, Lab colours for the reconstruction ones); tracking calls it
/// through <c>Propagation/SparsePointer</c>, the same pointer with the inference options (a radius,
/// top-k) beside the propagator.
/// </summary>
public static class Pointer
{
    /// <summary>
    /// Equations 1-2 densely: references f_i [..., N, D] carrying c_i [..., N, C], targets f_j [..., M, D]
    /// (no batch dimension, or one: [B, ...]) -> the copied values y [..., M, C].
    /// </summary>
    public static Tensor Copy(Tensor refEmb, Tensor refValues, Tensor tgtEmb, double temperature = 1.0)
    {
        using var scope = NewDisposeScope();
        var a = functional.softmax(Wide(Logits(refEmb, tgtEmb, temperature)), dim: -1); // A [..., M, N]: each row sums to 1 over i
        return a.matmul(refValues.to(a.dtype)).MoveToOuterDisposeScope();               // y [..., M, C] = sum_i A_ij c_i
    }

    /// <summary>The softmax's argument f_i . f_j / T [..., M, N], in the embeddings' precision.</summary>
    public static Tensor Logits(Tensor refEmb, Tensor tgtEmb, double temperature)
    {
        var logits = tgtEmb.matmul(refEmb.transpose(-1, -2));               // [..., M, N]: f_i . f_j
        return temperature == 1.0 ? logits : logits.mul_(S(1.0 / temperature));
    }

    /// <summary>bfloat16 affinities (8 significant bits) are widened to float32 before the softmax and the mix.</summary>
    public static Tensor Wide(Tensor x) => x.dtype == ScalarType.BFloat16 ? x.to(ScalarType.Float32) : x;

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
