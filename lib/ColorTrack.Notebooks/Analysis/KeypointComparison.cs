using ColorTrack.Contracts;
using ColorTrack.Datasets;
using ColorTrack.Evaluation;
using ColorTrack.Imaging;
using ColorTrack.Propagation;
using ColorTrack.Synthetic;
using ColorTrack.Video;

namespace ColorTrack.Analysis;

/// <summary>
/// Pose tracking (Table 2) for one clip: each tracker carries the first frame's keypoints through
/// the video (as dense maps, see <see cref="KeypointTracking"/>); predictions are scored with PCK
/// against the true joints.
/// </summary>
public static class KeypointComparison
{
    /// <summary>A tracker's keypoints on every frame, as PCK reads them.</summary>
    public static KeypointPrediction Track(TrackerComparison.Entry entry, Func<IFrameSource> open, KeypointsFile first, string source)
    {
        using var factory = new TrackerFactory();
        return Track(factory.Create(entry.Spec), open, first, source);
    }

    /// <summary>The same with a tracker built already (e.g. by a factory that serves several clips).</summary>
    public static KeypointPrediction Track(ILabelTracker tracker, Func<IFrameSource> open, KeypointsFile first, string source)
    {
        using var frames = open();
        return KeypointPrediction.From(new KeypointTracking(KeypointTracking.StrideFor(tracker)).Run(tracker, frames, first, source));
    }

    /// <summary>
    /// The same, each joint read out only where its body (object <see cref="KeypointsFile.ObjectId"/> of the first
    /// frame's mask) is tracked to: what `colortrack track --keypoints K --mask M` does (<see cref="KeypointTracking.RunOnObject"/>).
    /// </summary>
    public static KeypointPrediction TrackOnBody(ILabelTracker tracker, Func<IFrameSource> open, KeypointsFile first, string source, string firstMaskPath)
    {
        using var frames = open();
        var tracking = KeypointTracking.OnObject(KeypointTracking.StrideFor(tracker));
        return KeypointPrediction.From(tracking.RunOnObject(tracker, frames, first, source, MaskPng.Read(firstMaskPath), firstMaskPath));
    }

    /// <summary>A synthetic stick figure's joints as the truth PCK scores against (the first <paramref name="frames"/> frames).</summary>
    public static JhmdbJoints Truth(KeypointsFile k, string clip, int frames = int.MaxValue) => JhmdbJoints.From(k, clip, frames);

    /// <summary>Predicted keypoints of frame t, for drawing.</summary>
    public static Keypoint[] At(KeypointPrediction p, int t) =>
        Enumerable.Range(0, p.X[t].Length).Select(j => new Keypoint((float)p.X[t][j], (float)p.Y[t][j], p.Visible[t][j])).ToArray();
}
