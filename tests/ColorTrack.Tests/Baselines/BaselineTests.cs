using ColorTrack.Baselines;
using ColorTrack.Contracts;
using ColorTrack.Runtime;
using ColorTrack.Tests.Propagation;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Baselines;

public class BaselineTests
{
    public BaselineTests() { TorchRuntime.EnsureLoaded(); manual_seed(0); }

    static List<double> IoUs(ILabelTracker tracker, MovingSquareVideo v)
    {
        var ious = new List<double>();
        int t = 1;
        foreach (var soft in tracker.Track(v.Frames(), v.OneHot(0)))
            using (soft) ious.Add(MovingSquareVideo.IoU(MovingSquareVideo.Argmax(soft), v.Mask(t++)));
        Assert.Equal(v.FrameCount - 1, ious.Count);
        return ious;
    }

    [Fact]
    public void Identity_CopiesTheFirstLabelsSoOverlapFallsAsTheSquareMovesAway()
    {
        // 24 px square moving 4 px per frame: IoU with the first mask is (24-4t)/(24+4t).
        var v = new MovingSquareVideo(dx: 4, frames: 6);
        var ious = IoUs(new IdentityBaseline(), v);
        for (int t = 1; t < 6; t++) Assert.Equal((24.0 - 4 * t) / (24 + 4 * t), ious[t - 1], 6);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OpticalFlow_FollowsATranslatedSquareFarBetterThanIdentity(bool recursive)
    {
        // Farneback smooths flow across the square's edges (a 15 px window), so the warped mask
        // loses a little of the leading edge each frame; it still beats identity by far.
        var v = new MovingSquareVideo(width: 192, height: 96, size: 48, dx: 3, dy: 2, frames: 8, grain: 8);
        var flow = IoUs(new OpticalFlowBaseline(new OpticalFlowSettings { Recursive = recursive }), v);
        var identity = IoUs(new IdentityBaseline(), v);
        Assert.True(flow[0] > 0.9, string.Join(" ", flow.Select(x => x.ToString("F2"))));
        if (recursive) // small steps: better and better than identity
            for (int t = 0; t < flow.Count; t++) Assert.True(flow[t] > identity[t] + 0.05 * (t + 1), $"frame {t + 1}: flow {flow[t]:F2} identity {identity[t]:F2}");
        else // one flow from frame 0: fine for small displacements, then no better than identity
            Assert.True(flow.Average() > identity.Average(), $"flow {flow.Average():F2} identity {identity.Average():F2}");
    }

    [Fact]
    public void OpticalFlow_WarpWithZeroFlowIsTheIdentityAndShiftMovesLabels()
    {
        var labels = rand(2, 5, 7);
        Assert.True(allclose(OpticalFlowBaseline.Warp(labels, zeros(5, 7, 2)), labels, 1e-5, 1e-5));
        var flow = zeros(5, 7, 2); flow[.., .., 0] = tensor(1f); // sample one pixel to the right
        var warped = OpticalFlowBaseline.Warp(labels, flow);
        Assert.True(allclose(warped[.., .., ..6], labels[.., .., 1..], 1e-5, 1e-5));
    }

    [Fact]
    public void OpticalFlow_ThresholdDecidesObjectOnlyAboveIt()
    {
        // Pixel 0: background more probable but the object reaches the threshold -> object.
        var soft = tensor(new float[] { 0.6f, 0.3f, 0.9f, 0.3f, 0.7f, 0.1f }).view(2, 1, 3); // bg row, object row
        var hard = OpticalFlowBaseline.Decide(soft, 0.25);
        Assert.Equal(new long[] { 1, 1, 0 }, hard.argmax(0)[0].data<long>().ToArray());
    }

    [Fact]
    public void OpticalFlow_KeypointMaps_AreWarpedNotDecidedAsMasks()
    {
        // Keypoint maps are not a partition (no background channel): a mask decision would make joint 0's
        // map "background", 1 almost everywhere, and its joint would jump to the top-left corner.
        var v = new MovingSquareVideo(width: 96, height: 64, size: 24, dx: 0, dy: 0, frames: 3, grain: 8);
        var joints = new ColorTrack.Datasets.Keypoint[] { new(50, 30, true), new(20, 40, true) };
        var tracking = new ColorTrack.Propagation.KeypointTracking(8);
        using var maps = tracking.ToMaps(joints, 64, 96);
        Assert.False(OpticalFlowBaseline.IsPartition(maps));
        Assert.True(OpticalFlowBaseline.IsPartition(v.OneHot(0)));
        foreach (var soft in new OpticalFlowBaseline().Track(v.Frames(), maps))
            using (soft)
            {
                var found = tracking.Locate(soft, joints);
                for (int j = 0; j < joints.Length; j++)
                    Assert.True(Math.Abs(found[j].X - joints[j].X) <= 8 && Math.Abs(found[j].Y - joints[j].Y) <= 8, $"joint {j} at ({found[j].X}, {found[j].Y})");
            }
    }

    [Fact]
    public void TrackerSpec_Flow_IsTheSameFlowAsTrackMethodFlow()
    {
        // A comparison table's flow row and `track --method flow` both warp frame to frame by default.
        Assert.Equal(OpticalFlowSettings.Default.Recursive, new ColorTrack.Propagation.TrackerSpec(ColorTrack.Propagation.TrackerSpec.Flow).FlowRecursive);
        Assert.True(OpticalFlowSettings.Default.Recursive);
    }
}
