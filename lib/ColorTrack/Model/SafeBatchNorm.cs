using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ColorTrack.Model;

/// <summary>
/// BatchNorm (2d or 3d) with the same parameters, buffers, state-dict names and arithmetic as
/// TorchSharp's BatchNorm2d/3d, minus one crash. TorchSharp 0.107 counts batches with
/// <c>num_batches_tracked.add_(1)</c>: the implicit <c>Scalar</c> 1 (and its alpha) is a temporary
/// with a finalizer whose native handle is passed to libtorch, and a garbage collection on another
/// thread during that call can free it first. libtorch then reads freed memory and fails with
/// "Unknown scalar type" or "For integral input tensors, argument alpha must not be a floating point
/// number" (seen here in long CPU runs and in tests). Holding the scalars in fields keeps them alive.
/// </summary>
public sealed class SafeBatchNorm : TorchSharp.Modules.BatchNorm
{
    readonly int spatialDims;
    readonly Scalar one = 1.ToScalar(); // lives as long as the module: never finalized mid-call

    /// <param name="features">Channels (C of [N, C, ...]).</param>
    /// <param name="spatialDims">2 for [N, C, H, W] (BatchNorm2d), 3 for [N, C, T, H, W] (BatchNorm3d).</param>
    public SafeBatchNorm(long features, int spatialDims)
        : base(features, eps: 1e-5, momentum: 0.1, affine: true, track_running_stats: true, device: null, dtype: null, name: spatialDims == 2 ? "BatchNorm2d" : "BatchNorm3d")
    {
        if (spatialDims is not (2 or 3)) throw new ArgumentException($"spatial dims must be 2 or 3, got {spatialDims}");
        this.spatialDims = spatialDims;
    }

    public static SafeBatchNorm Of2d(long features) => new(features, 2);
    public static SafeBatchNorm Of3d(long features) => new(features, 3);

    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.dim() != spatialDims + 2)
            throw new ArgumentException($"expected {spatialDims + 2}D input (got {input.dim()}D input)");
    }

    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        if (training && num_batches_tracked is { } n)
            n.add_(one, one);
        // As TorchSharp 0.107's BatchNorm (pinned by a test against it): batch statistics in training,
        // updating the running ones; the running statistics in eval.
        // Mixed precision (Training/BFloat16Replica): a bf16 input with fp32 weights and statistics is one of
        // libtorch's own CPU kernels (statistics accumulated in fp32, output bf16), 8x faster than casting around it.
        return F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum ?? 0.1, eps);
    }

    protected override void Dispose(bool disposing)
    {
        one.Dispose();
        base.Dispose(disposing);
    }
}
