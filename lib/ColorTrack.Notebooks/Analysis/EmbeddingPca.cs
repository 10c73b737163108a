using ColorTrack.Video;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;

namespace ColorTrack.Analysis;

/// <summary>
/// Embeddings as pictures (Figure 9): project every location's D-dimensional embedding onto the
/// first three principal components (fitted over all frames together, so colours are comparable
/// across time) and show them as RGB. Locations the model considers alike get alike colours; if an
/// object keeps its colour while it moves, the embedding tracks it.
/// </summary>
public static class EmbeddingPca
{
    /// <param name="embeddings">[T, D, h, w]</param>
    /// <param name="width">Output picture width (nearest-neighbour up-sampling of the h x w grid).</param>
    /// <param name="height">Output picture height.</param>
    public static IReadOnlyList<VideoFrame> ToRgb(Tensor embeddings, int width, int height)
    {
        using var scope = NewDisposeScope();
        long t = embeddings.shape[0], d = embeddings.shape[1], h = embeddings.shape[2], w = embeddings.shape[3];
        var x = embeddings.permute(0, 2, 3, 1).reshape(-1, d).to(float32);      // [T*h*w, D]
        var centred = x - x.mean([0], keepdim: true);
        var (_, _, v) = linalg.svd(centred, fullMatrices: false);               // rows of v: principal directions
        var proj = centred.matmul(v.narrow(0, 0, Math.Min(3, d)).T);            // [N, 3]
        if (proj.shape[1] < 3) proj = cat([proj, zeros(proj.shape[0], 3 - proj.shape[1])], 1);
        // Robust per-component scaling: 2nd..98th percentile to 0..255.
        var lo = proj.quantile(tensor(0.02f), dim: 0); var hi = proj.quantile(tensor(0.98f), dim: 0);
        var rgb = ((proj - lo) / (hi - lo).Plus(1e-6)).clamp(S(0), S(1)).mul(S(255)).round().to(ScalarType.Byte)  // [N, 3]
            .reshape(t, h, w, 3).permute(0, 3, 1, 2).to(float32);                                    // [T, 3, h, w]
        var big = nn.functional.interpolate(rgb, [height, width], mode: InterpolationMode.Nearest)
            .to(ScalarType.Byte).permute(0, 2, 3, 1).contiguous();                                  // [T, H, W, 3]
        var frames = new List<VideoFrame>();
        for (int i = 0; i < t; i++)
            frames.Add(new VideoFrame(i, i, width, height, big[i].data<byte>().ToArray()));
        return frames;
    }
}
