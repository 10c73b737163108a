using ColorTrack.Propagation;
using ColorTrack.Runtime;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Propagation;

public class PropagationTrackerTests
{
    public PropagationTrackerTests() { TorchRuntime.EnsureLoaded(); manual_seed(0); }

    static double MeanIoU(PropagationTracker tracker, MovingSquareVideo v)
    {
        var ious = new List<double>();
        int t = 1;
        foreach (var soft in tracker.Track(v.Frames(), v.OneHot(0)))
        {
            using (soft) ious.Add(MovingSquareVideo.IoU(MovingSquareVideo.Argmax(soft), v.Mask(t)));
            t++;
        }
        Assert.Equal(v.FrameCount - 1, ious.Count);
        return ious.Average();
    }

    [Fact]
    public void PixelEncoder_TracksATexturedSquareTranslatedByAKnownOffset()
    {
        var v = new MovingSquareVideo(dx: 4, dy: 4, frames: 8);
        using var encoder = new PixelLabEncoder(stride: 4);
        var iou = MeanIoU(new PropagationTracker(encoder, PropagationSettings.Paper with { Temperature = 0.01 }), v);
        Assert.True(iou > 0.95, $"mean IoU {iou:F3}");
    }

    [Fact]
    public void Radius_KeepsAStaticTwinOfTheObjectFromStealingItsLabel()
    {
        // The scene holds a static copy of the square's texture far to the right (labelled
        // background in frame 0). Unrestricted, the moving square matches its twin as well as itself
        // and loses its label; within 8 cells (the twin is 13 or more away) it only matches itself.
        var v = new MovingSquareVideo(width: 112, x0: 8, dx: 4, dy: 0, frames: 6, twinX: 80);
        using var encoder = new PixelLabEncoder(stride: 4);
        var paper = PropagationSettings.Paper with { Temperature = 0.01 };
        double free = MeanIoU(new PropagationTracker(encoder, paper), v);
        double near = MeanIoU(new PropagationTracker(encoder, paper with { Radius = 8 }), v);
        Assert.True(free < 0.8, $"unrestricted mean IoU {free:F3}");
        Assert.True(near > 0.95, $"radius-8 mean IoU {near:F3}");
    }

    [Fact]
    public void LabelGrid_HandlesFramesThatTheStrideDoesNotDivide()
    {
        // 70x45 frames at stride 8: the grid is 9x6 (padded), the output is cropped back to 70x45.
        var v = new MovingSquareVideo(width: 70, height: 45, size: 16, x0: 8, y0: 8, dx: 8, frames: 3, grain: 8);
        using var encoder = new PixelLabEncoder(stride: 8);
        var outputs = new PropagationTracker(encoder, PropagationSettings.Paper with { Temperature = 0.01 }).Track(v.Frames(), v.OneHot(0)).ToList();
        Assert.Equal(2, outputs.Count);
        Assert.Equal(new long[] { 2, 45, 70 }, outputs[0].shape);
        Assert.True(MovingSquareVideo.IoU(MovingSquareVideo.Argmax(outputs[1]), v.Mask(2)) > 0.9);
    }

    [Fact]
    public void LabelGrid_DownsampleAveragesCellsAndReplicateInvertsIt()
    {
        var grid = rand(3, 4, 5);
        var full = LabelGrid.Replicate(grid, 4, 15, 19); // not a multiple of 4: padding by edge replication
        Assert.True(allclose(LabelGrid.Downsample(full, 4), grid, 1e-6, 1e-6));
    }
}
