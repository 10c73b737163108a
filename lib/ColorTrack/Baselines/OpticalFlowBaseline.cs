using System.Runtime.InteropServices;
using OpenCvSharp;
using TorchSharp;
using ColorTrack.Contracts;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;

namespace ColorTrack.Baselines;

/// <summary>
/// The paper's "Optical flow" baseline: dense flow (OpenCV Farneback) from each new frame back to
/// the previous one (recursive) or to the first one, and labels warped along it:
///     labels_t(x) = labels_ref(x + flow_{t->ref}(x))   (bilinear, edges clamped).
/// The hard decision after each warp (<see cref="OpticalFlowSettings.Threshold"/>) is for labels that
/// partition the frame — masks, channel 0 the background, every pixel's channels summing to 1.
/// Keypoint maps are independent heat maps (each joint's map is mostly zeros): deciding them would
/// turn joint 0's map into "background", 1 almost everywhere, and send that joint to the top-left
/// corner; they are warped as they are.
/// </summary>
public sealed class OpticalFlowBaseline(OpticalFlowSettings? settings = null) : ILabelTracker
{
    public OpticalFlowSettings Settings { get; } = settings ?? OpticalFlowSettings.Default;
    public string Name => "flow";

    public IEnumerable<Tensor> Track(IEnumerable<Tensor> frames, Tensor firstLabels)
    {
        Mat? firstGray = null, previousGray = null;
        Tensor? previous = null;
        Tensor first; // [C, H, W]
        bool partition;
        using (NewDisposeScope())
        {
            first = firstLabels.to(float32).clone().DetachFromDisposeScope(); // no temporary outside a scope (tests/Runtime/DisposeScopeCoverageTests)
            partition = IsPartition(first);
        }
        try
        {
            foreach (var frame in frames)
            {
                var gray = Gray(frame);
                frame.Dispose();
                if (firstGray is null) { firstGray = gray; previousGray = gray; previous = first; continue; }
                Tensor labels, next;
                using (var scope = NewDisposeScope())
                {
                    var reference = Settings.Recursive ? previous! : first;
                    var flow = Flow(gray, Settings.Recursive ? previousGray! : firstGray); // [H, W, 2]
                    labels = Warp(reference, flow);
                    if (partition && Settings.Threshold is double tau) labels = Decide(labels, tau);
                    next = labels.clone().DetachFromDisposeScope();
                    labels = labels.MoveToOuterDisposeScope();
                }
                if (!ReferenceEquals(previousGray, firstGray)) previousGray!.Dispose();
                previousGray = gray;
                if (!ReferenceEquals(previous, first)) previous!.Dispose();
                previous = next;
                yield return labels;
            }
        }
        finally
        {
            if (!ReferenceEquals(previousGray, firstGray)) previousGray?.Dispose();
            firstGray?.Dispose();
            if (!ReferenceEquals(previous, first)) previous?.Dispose();
            first.Dispose();
        }
    }

    /// <summary>[3, H, W] RGB in [0, 1] -> 8-bit gray Mat (BT.601 luma, as OpenCV's cvtColor).</summary>
    internal static Mat Gray(Tensor frame)
    {
        using var scope = NewDisposeScope();
        int H = (int)frame.shape[1], W = (int)frame.shape[2];
        var w = tensor(new float[] { 0.299f, 0.587f, 0.114f }).view(3, 1, 1);
        var bytes = (frame.to(float32) * w).sum(dim: 0).mul(S(255)).round().clamp(S(0), S(255)).to(ScalarType.Byte).contiguous().data<byte>().ToArray();
        var mat = new Mat(H, W, MatType.CV_8UC1);
        Marshal.Copy(bytes, 0, mat.Data, bytes.Length);
        return mat;
    }

    /// <summary>Flow [H, W, 2] (dx, dy) such that from(x) ~ to(x + flow(x)).</summary>
    internal Tensor Flow(Mat from, Mat to)
    {
        using var flow = new Mat();
        Cv2.CalcOpticalFlowFarneback(from, to, flow, 0.5, Settings.Levels, Settings.WindowSize, Settings.Iterations, 5, 1.2, OpticalFlowFlags.None);
        var data = new float[from.Rows * from.Cols * 2];
        Marshal.Copy(flow.Data, data, 0, data.Length);
        return tensor(data).view(from.Rows, from.Cols, 2);
    }

    /// <summary>labels [C, H, W] sampled at x + flow(x), bilinear, coordinates clamped to the frame.</summary>
    internal static Tensor Warp(Tensor labels, Tensor flow)
    {
        long H = labels.shape[1], W = labels.shape[2];
        var xs = Range(0, W, float32).view(1, W).expand(H, W).Safe() + flow[.., .., 0]; // [H, W]
        var ys = Range(0, H, float32).view(H, 1).expand(H, W).Safe() + flow[.., .., 1];
        // grid_sample's align_corners=true: -1 and 1 are the centres of the first and last pixels.
        var grid = stack([xs / Math.Max(1, W - 1) * 2 - 1, ys / Math.Max(1, H - 1) * 2 - 1], -1).unsqueeze(0); // [1, H, W, 2]
        return nn.functional.grid_sample(labels.unsqueeze(0), grid, GridSampleMode.Bilinear,
            GridSamplePaddingMode.Border, align_corners: true)[0]; // [C, H, W]
    }

    /// <summary>Whether labels [C, H, W] are a partition of the frame: at least two channels, summing to 1 at every pixel (masks with a background channel).</summary>
    internal static bool IsPartition(Tensor labels)
    {
        if (labels.shape[0] < 2) return false;
        using var scope = NewDisposeScope();
        return labels.sum(dim: 0).sub(S(1)).abs().max().item<float>() < 1e-3f;
    }

    /// <summary>One-hot labels: the most probable object where its probability reaches tau, else background (channel 0).</summary>
    internal static Tensor Decide(Tensor soft, double tau)
    {
        long C = soft.shape[0];
        if (C < 2) return soft;
        var objects = soft.narrow(0, 1, C - 1).max(0);                        // values/indexes [H, W]
        var id = where(objects.values.ge(S(tau)), objects.indexes.Plus(I(1)), zeros_like(objects.indexes));
        return nn.functional.one_hot(id, C).permute(2, 0, 1).to(float32);    // [C, H, W]
    }
}
