using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ColorTrack.Model;

/// <summary>
/// The paper's pointer (equations 1-2), dense, as training uses it: every target location j points to
/// all reference locations i with A_ij = softmax_i(f_i . f_j / T) and copies their values,
/// y_j = sum_i A_ij c_i. The values c are one-hot colour bins for the paper's objective and Lab
/// colours for the reconstruction objectives.
/// </summary>
public static class Pointer
{
    /// <summary>
    /// References f_i [B, N, D] with values c_i [B, N, C], targets f_j [B, M, D]: the copied values y [B, M, C].
    /// </summary>
    public static Tensor Copy(Tensor refEmb, Tensor refValues, Tensor tgtEmb, double temperature = 1.0)
    {
        using var scope = NewDisposeScope();
        var logits = bmm(tgtEmb, refEmb.transpose(1, 2));                 // [B, M, N]: f_i . f_j
        if (temperature != 1.0) logits = logits / S(temperature);
        var a = functional.softmax(logits, dim: -1);                      // A: each target's row sums to 1 over refs i
        return bmm(a, refValues.to(a.dtype)).MoveToOuterDisposeScope();    // [B, M, C] = sum_i A_ij c_i
    }

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
