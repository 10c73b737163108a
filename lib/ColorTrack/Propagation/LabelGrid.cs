using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Propagation;

/// <summary>
/// Moves labels between full resolution [C, H, W] and an encoder's grid [C, h, w] with
/// h = ceil(H / stride): grid cell (y, x) covers pixels [y*s, (y+1)*s) x [x*s, (x+1)*s), the frame
/// being padded at the bottom/right by edge replication when H or W is not a multiple of the stride.
/// </summary>
public static class LabelGrid
{
    /// <summary>Grid size of an H x W frame at this stride.</summary>
    public static (int Height, int Width) Size(int height, int width, int stride) =>
        ((height + stride - 1) / stride, (width + stride - 1) / stride);

    /// <summary>[N, C, H, W] -> [N, C, h*s, w*s], edge-replicated at the bottom and right.</summary>
    public static Tensor PadToStride(Tensor x, int stride)
    {
        long H = x.shape[2], W = x.shape[3];
        long padH = (stride - H % stride) % stride, padW = (stride - W % stride) % stride;
        if (padH == 0 && padW == 0) return x.alias();
        return nn.functional.pad(x, [0, padW, 0, padH], PaddingModes.Replicate);
    }

    /// <summary>Labels [C, H, W] -> [C, h, w]: each cell is the average of the labels of its pixels.</summary>
    public static Tensor Downsample(Tensor labels, int stride)
    {
        using var scope = NewDisposeScope();
        var x = PadToStride(labels.to(float32).unsqueeze(0), stride);      // [1, C, h*s, w*s]
        return nn.functional.avg_pool2d(x, stride, stride)[0].MoveToOuterDisposeScope(); // [C, h, w]
    }

    /// <summary>Soft labels [C, h, w] -> [C, H, W]: bilinear up-sampling by the stride (cell centres at their pixel centres), then the padding cropped.</summary>
    public static Tensor Upsample(Tensor soft, int stride, int height, int width)
    {
        using var scope = NewDisposeScope();
        long h = soft.shape[1], w = soft.shape[2];
        var up = nn.functional.interpolate(soft.unsqueeze(0), size: [h * stride, w * stride],
            mode: InterpolationMode.Bilinear, align_corners: false);         // [1, C, h*s, w*s]
        return up[0, .., ..height, ..width].contiguous().MoveToOuterDisposeScope();       // [C, H, W]
    }

    /// <summary>Nearest up-sampling [C, h, w] -> [C, H, W]: every pixel takes its cell's value (the inverse of <see cref="Downsample"/> for maps built on the grid).</summary>
    public static Tensor Replicate(Tensor grid, int stride, int height, int width)
    {
        using var scope = NewDisposeScope();
        var up = grid.repeat_interleave(stride, dim: 1).repeat_interleave(stride, dim: 2); // [C, h*s, w*s]
        return up[.., ..height, ..width].contiguous().MoveToOuterDisposeScope();
    }
}
