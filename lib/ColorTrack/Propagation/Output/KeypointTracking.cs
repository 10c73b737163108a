using ColorTrack.Contracts;
using ColorTrack.Datasets;
using ColorTrack.Imaging;
using ColorTrack.Video;
using TorchSharp;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;

namespace ColorTrack.Propagation;

/// <summary>
/// Keypoint tracking (paper section 3.3): each joint of the first frame becomes a dense map on the
/// encoder's grid (one-hot at its cell, or a small Gaussian over cells), the tracker propagates the
/// maps like any labels, and each propagated map gives the joint's location: the weighted mean of
/// its <see cref="TopLocations"/> largest pixels (1 = argmax). A joint invisible in the first frame
/// stays invisible (its map is zero). A joint whose propagated map has emptied (a baseline warped
/// it out of the frame, or nothing pointed to it) keeps its previous position: the top-k of an
/// all-zero map is the first k pixels, which would put the joint in the top-left corner.
/// <para>
/// When the first frame's mask of the body the joints belong to is known, the body travels with the
/// joint maps in the same pass (two more labels: body, rest) and each joint is read out only where the
/// body is, p(body) = body / (body + rest) &gt; 1/2 (<see cref="RunOnObject"/>). A pointer that matches by
/// appearance can send a joint's map onto a look-alike elsewhere (a hip onto a ball of the body's colour);
/// the body as a whole is tracked better than each joint, and gating by it removes such jumps.
/// </para>
/// </summary>
public sealed record KeypointTracking(int Stride, double SigmaCells = 0.5, int TopLocations = 5)
{
    /// <summary>
    /// The grid a tracker's keypoint maps are drawn on: the encoder's stride for a pointer tracker
    /// (also when it runs rescaled), else 8 (identity and flow carry any map).
    /// </summary>
    public static int StrideFor(ILabelTracker tracker) => tracker switch
    {
        PropagationTracker p => p.Encoder.Stride,
        RescaledTracker { Inner: PropagationTracker p } => p.Encoder.Stride,
        _ => 8,
    };

    /// <summary>
    /// The read-out for joints gated by their body (<see cref="RunOnObject"/>): wider maps (1 cell) and the mean of
    /// the top 20 pixels, which ungated would spread onto the background (measured on the demo's held-out
    /// videos, docs/demo.md).
    /// </summary>
    public static KeypointTracking OnObject(int stride) => new(stride, SigmaCells: 1.0, TopLocations: 20);

    /// <summary>Full-resolution maps [J, H, W] of the first frame's keypoints, constant over each grid cell.</summary>
    public Tensor ToMaps(Keypoint[] points, int height, int width)
    {
        using var scope = NewDisposeScope();
        var (h, w) = LabelGrid.Size(height, width, Stride);
        var cy = (Range(0, h, float32).view(h, 1).Safe() + 0.5) * Stride - 0.5; // cell centres in pixels, [h, 1]
        var cx = (Range(0, w, float32).view(1, w).Safe() + 0.5) * Stride - 0.5; // [1, w]
        var maps = zeros(points.Length, h, w);
        for (int j = 0; j < points.Length; j++)
        {
            var p = points[j];
            if (!p.Visible) continue;
            if (SigmaCells <= 0)
                maps[j, Math.Min(h - 1, (int)(p.Y / Stride)), Math.Min(w - 1, (int)(p.X / Stride))] = tensor(1f);
            else
            {
                var d2 = (cy - p.Y).Squared() + (cx - p.X).Squared();                           // [h, w]
                Tensor g = (d2 / (-2 * Math.Pow(SigmaCells * Stride, 2))).Exp();
                maps[j] = g / g.max();
            }
        }
        return LabelGrid.Replicate(maps, Stride, height, width).MoveToOuterDisposeScope();
    }

    /// <summary>Smallest peak a propagated map needs to say where its joint is (maps start with peak 1).</summary>
    public const float EmptyMapPeak = 1e-4f;

    /// <summary>
    /// Each joint's location from propagated maps [J, H, W]. Joints invisible in <paramref name="previous"/>
    /// stay invisible; a joint whose map has no peak above <see cref="EmptyMapPeak"/> keeps its previous position.
    /// </summary>
    public Keypoint[] Locate(Tensor maps, Keypoint[] previous)
    {
        using var scope = NewDisposeScope();
        long J = maps.shape[0], W = maps.shape[2];
        var flat = maps.reshape(J, -1);
        int k = (int)Math.Min(TopLocations, flat.shape[1]);
        var (values, index) = flat.topk(k, dim: 1);                              // [J, k]
        var peak = values.select(1, 0).data<float>().ToArray();                  // [J]: each map's maximum
        Tensor weights = values.Safe().ClampMin(0) + 1e-12;
        weights = weights / weights.sum(1, keepdim: true);
        var xs = index.remainder(I(W)).to(float32); var ys = index.div(I(W), rounding_mode: RoundingMode.floor).to(float32);
        var x = (weights * xs).sum(1).data<float>().ToArray();
        var y = (weights * ys).sum(1).data<float>().ToArray();
        return previous.Select((p, j) => !p.Visible ? new Keypoint(0, 0, false)
                                         : peak[j] > EmptyMapPeak ? new Keypoint(x[j], y[j], true)
                                         : p).ToArray();
    }

    /// <summary>
    /// Track frame 0 of <paramref name="keypoints"/> through <paramref name="frames"/>; returns all
    /// frames' keypoints (frame 0 as given). Visible keypoints outside the frame are bad input.
    /// </summary>
    public KeypointsFile Run(ILabelTracker tracker, IFrameSource frames, KeypointsFile keypoints, string path, Action<int>? onFrame = null)
    {
        keypoints.CheckInside(0, frames.Width, frames.Height, path);
        using var maps = ToMaps(keypoints.Frames[0], frames.Height, frames.Width);
        return Track(tracker, frames, keypoints, maps, soft => soft, onFrame);
    }

    /// <summary>
    /// As <see cref="Run"/>, each joint read out only where its body is tracked to. The body is object
    /// <see cref="KeypointsFile.ObjectId"/> of <paramref name="firstMask"/> (the first frame's mask), or every
    /// object in it when the keypoints name none; a joint whose map has nothing on the body keeps its previous position.
    /// </summary>
    public KeypointsFile RunOnObject(ILabelTracker tracker, IFrameSource frames, KeypointsFile keypoints, string path,
        IndexedMask firstMask, string maskPath, Action<int>? onFrame = null)
    {
        keypoints.CheckInside(0, frames.Width, frames.Height, path);
        SegmentTracking.CheckSize(firstMask, maskPath, frames);
        var onBody = firstMask.Ids.Select(id => keypoints.ObjectId is { } o ? id == o : id != 0).ToArray();
        if (!onBody.Contains(true))
            throw new BadInputException(maskPath, keypoints.ObjectId is { } id ? $"the mask has no object {id}, the body of the keypoints" : "the mask has no object (every pixel is 0, background)");
        var first = keypoints.Frames[0];
        int J = first.Length;
        using var labels = BodyAndJoints(first, onBody, frames.Height, frames.Width);     // [J + 2, H, W]
        return Track(tracker, frames, keypoints, labels, soft =>
        {
            var joints = soft.narrow(0, 0, J);                                            // [J, H, W]
            var body = soft[J]; var rest = soft[J + 1];                                  // [H, W]
            return joints * body.gt(rest).to(float32);                                   // only where p(body) > 1/2
        }, onFrame);
    }

    /// <summary>
    /// Frame 0's keypoints as given, then each later frame's from the tracker's soft labels, through
    /// <paramref name="jointMaps"/> (the labels' joint maps [J, H, W], as they are to be read out).
    /// </summary>
    KeypointsFile Track(ILabelTracker tracker, IFrameSource frames, KeypointsFile keypoints, Tensor labels,
        Func<Tensor, Tensor> jointMaps, Action<int>? onFrame)
    {
        var result = new List<Keypoint[]> { keypoints.Frames[0] };
        onFrame?.Invoke(0);
        foreach (var soft in tracker.Track(FrameTensors.From(frames), labels))
            using (soft)
            using (NewDisposeScope())
            {
                result.Add(Locate(jointMaps(soft), result[^1]));
                onFrame?.Invoke(result.Count - 1);
            }
        return keypoints with { Frames = result };
    }

    /// <summary>The joints' maps, then the body and the rest of the frame as one-hot labels: [J + 2, H, W].</summary>
    Tensor BodyAndJoints(Keypoint[] first, bool[] onBody, int height, int width)
    {
        using var scope = NewDisposeScope();
        var body = tensor(onBody).view(1, height, width).to(float32);                  // [1, H, W]
        return cat([ToMaps(first, height, width), body, 1 - body.Safe()], 0).MoveToOuterDisposeScope();
    }
}
