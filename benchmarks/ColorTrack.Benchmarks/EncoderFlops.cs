using ColorTrack.Model;

namespace ColorTrack.Benchmarks;

/// <summary>
/// Floating-point operations of one forward pass of a <see cref="ResNetBackbone"/> on an H x W frame,
/// counted from the layer shapes (a multiply-add = 2 FLOPs; BatchNorm, ReLU and pooling left out):
/// the 7x7/2 stem, then each BasicBlock's two 3x3 convolutions and its 1x1 shortcut where it has one.
/// Sizes follow the convolutions' arithmetic (padding 3 / 1: out = ceil(in / stride)).
/// </summary>
public static class EncoderFlops
{
    public static double ResNet(ResNetConfig r, int height, int width)
    {
        long h = Ceil(height, 2), w = Ceil(width, 2);
        double flops = Conv(r.InChannels, r.Widths[0], 49, h * w);
        h = Ceil(h, 2); w = Ceil(w, 2); // max-pool
        int c = r.Widths[0];
        for (int s = 0; s < r.Stages; s++)
            for (int b = 0; b < r.Blocks[s]; b++)
            {
                int stride = b == 0 ? r.Strides[s] : 1;
                h = Ceil(h, stride); w = Ceil(w, stride);
                flops += Conv(c, r.Widths[s], 9, h * w) + Conv(r.Widths[s], r.Widths[s], 9, h * w);
                if (b == 0 && (stride != 1 || c != r.Widths[s])) flops += Conv(c, r.Widths[s], 1, h * w);
                c = r.Widths[s];
            }
        return flops;
    }

    /// <summary>
    /// One propagation step: each of the h*w targets scores R references over D channels, then mixes the
    /// k best labels (C classes) — 2*h*w*R*D for the scores; top-k and the mix are small beside it.
    /// </summary>
    public static double Propagation(long targets, long referencesPerTarget, int dim) => 2.0 * targets * referencesPerTarget * dim;

    static long Ceil(long x, int s) => (x + s - 1) / s;
    static double Conv(int cin, int cout, int kernelElems, double outputs) => 2.0 * cin * cout * kernelElems * outputs;
}
