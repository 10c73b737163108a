using ColorTrack.Model;

namespace ColorTrack.Benchmarks;

/// <summary>
/// Floating-point operations of one training step, counted from the layer shapes (a multiply-add =
/// 2 FLOPs): every convolution (ResNet per frame, 3D stack per clip) and the affinity products of
/// the loss (f_i . f_j for all reference/target pairs, then A times the one-hot colours). A step is
/// forward + backward, counted as 3x the forward (the backward computes the gradients of both the
/// inputs and the weights, each about as costly as the forward). BatchNorm, ReLU, softmax and Adam
/// are elementwise and left out (a few percent).
/// </summary>
public static class TrainStepFlops
{
    public sealed record Count(double BackboneForward, double HeadForward, double AffinityForward)
    {
        public double Forward => BackboneForward + HeadForward + AffinityForward;
        public double Step => 3 * Forward;
    }

    public static Count For(ColorizationPreset p, int batch, int bins = 16)
    {
        var frames = batch * p.Frames;
        var r = p.Backbone;

        // ResNet per frame: stem 7x7/2, max-pool /2, then the stages.
        double backbone = 0;
        var side = p.InputSize / 2;
        backbone += Conv(r.InChannels, r.Widths[0], 49, side * side);
        side /= 2;
        var c = r.Widths[0];
        for (var s = 0; s < r.Stages; s++)
        {
            for (var b = 0; b < r.Blocks[s]; b++)
            {
                if (b == 0) side /= r.Strides[s];
                var area = side * side;
                backbone += Conv(c, r.Widths[s], 9, area) + Conv(r.Widths[s], r.Widths[s], 9, area);
                if (b == 0 && (r.Strides[s] != 1 || c != r.Widths[s])) backbone += Conv(c, r.Widths[s], 1, area);
                c = r.Widths[s];
            }
        }
        backbone *= frames;

        // 3D stack per clip: T x h x w outputs per layer.
        var hw = (double)p.FeatureSize * p.FeatureSize;
        var voxels = p.Frames * hw;
        double head = 0;
        var cin = r.OutChannels + 2;
        foreach (var _ in p.HeadDilations)
        {
            head += Conv(cin, p.HeadWidth, 9, voxels) + Conv(p.HeadWidth, p.HeadWidth, 3, voxels);
            cin = p.HeadWidth;
        }
        head += Conv(cin, p.EmbeddingDim, 1, voxels);
        head *= batch;

        // Loss: logits [M x N] over D, then [M x N] x [N x K]; M = hw targets, N = 3hw references.
        var n = (p.Frames - 1) * hw;
        var affinity = batch * (2.0 * hw * n * p.EmbeddingDim + 2.0 * hw * n * bins);
        return new Count(backbone, head, affinity);
    }

    static double Conv(int cin, int cout, int kernelElems, double outputs) => 2.0 * cin * cout * kernelElems * outputs;
}
