using ColorTrack;
using ColorTrack.Contracts;
using ColorTrack.Datasets;
using ColorTrack.Propagation;
using ColorTrack.Runtime;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Propagation;

public class KeypointTrackingTests
{
    public KeypointTrackingTests() { TorchRuntime.EnsureLoaded(); manual_seed(0); }

    [Fact]
    public void Keypoints_OnAMovingSquareFollowIt()
    {
        var v = new MovingSquareVideo(dx: 4, dy: 4, frames: 6);
        var (x0, y0) = v.Corner(0);
        // Three joints on the square (cell centres of its texture) and one invisible joint.
        var first = new[] { new Keypoint(x0 + 5.5f, y0 + 5.5f, true), new Keypoint(x0 + 17.5f, y0 + 9.5f, true),
                            new Keypoint(x0 + 9.5f, y0 + 21.5f, true), new Keypoint(3, 3, false) };
        var tracking = new KeypointTracking(Stride: 4, SigmaCells: 0.5, TopLocations: 1);
        using var encoder = new PixelLabEncoder(stride: 4);
        var tracker = new PropagationTracker(encoder, PropagationSettings.Paper with { Temperature = 0.01 });
        int t = 0;
        foreach (var maps in tracker.Track(v.Frames(), tracking.ToMaps(first, v.Height, v.Width)))
        {
            t++;
            var found = tracking.Locate(maps, first);
            var (cx, cy) = v.Corner(t);
            for (int j = 0; j < 3; j++)
            {
                float ex = first[j].X + cx - x0, ey = first[j].Y + cy - y0;
                Assert.True(Math.Abs(found[j].X - ex) <= 2.5 && Math.Abs(found[j].Y - ey) <= 2.5,
                    $"frame {t} joint {j}: found ({found[j].X}, {found[j].Y}), expected ({ex}, {ey})");
            }
            Assert.False(found[3].Visible);
        }
        Assert.Equal(v.FrameCount - 1, t);
    }

    [Fact]
    public void Keypoints_OneHotMapMarksTheJointsCellAndGaussianPeaksThere()
    {
        var p = new[] { new Keypoint(9, 5, true) };
        var oneHot = new KeypointTracking(Stride: 4, SigmaCells: 0).ToMaps(p, 16, 16);
        var grid = LabelGrid.Downsample(oneHot, 4)[0];
        Assert.Equal(1f, grid[1, 2].item<float>());
        Assert.Equal(1f, grid.sum().item<float>());
        var gauss = LabelGrid.Downsample(new KeypointTracking(Stride: 4, SigmaCells: 0.5).ToMaps(p, 16, 16), 4)[0];
        Assert.Equal(6L, gauss.argmax().item<long>()); // row 1, column 2
        Assert.True(gauss.sum().item<float>() > 1f);
    }

    [Fact]
    public void Keypoints_FromAnEmptiedMap_KeepTheirPreviousPositionNotTheCorner()
    {
        // Joint 0's map has a peak at (x 6, y 2); joint 1's map has emptied (a flow warp pushed it out).
        using var maps = zeros(2, 4, 8);
        maps[0, 2, 6] = tensor(1f);
        var previous = new[] { new Keypoint(1, 1, true), new Keypoint(5.5f, 3.25f, true) };
        var found = new KeypointTracking(Stride: 4, TopLocations: 1).Locate(maps, previous);
        Assert.Equal((6f, 2f, true), (found[0].X, found[0].Y, found[0].Visible));
        Assert.Equal((5.5f, 3.25f, true), (found[1].X, found[1].Y, found[1].Visible));

        // A whole video with a tracker whose maps empty after the first frame: no joint at (0..k, 0).
        var video = ColorTrack.Synthetic.SyntheticVideoGenerator.Generate(new ColorTrack.Synthetic.SyntheticVideoOptions(Width: 64, Height: 48, Frames: 4, Seed: 1));
        var first = new KeypointsFile(["a"], [[new Keypoint(20, 18, true)]]);
        using var source = video.AsFrameSource();
        var tracked = new KeypointTracking(Stride: 4).Run(EmptyingTracker(), source, first, "first.json");
        Assert.Equal(4, tracked.Frames.Count);
        Assert.All(tracked.Frames, f => Assert.Equal((20f, 18f), (f[0].X, f[0].Y)));
    }

    [Fact]
    public void KeypointsOnObject_AreReadOutOnlyWhereTheirBodyIs()
    {
        // A 16x32 frame: the body is the left half (object 3 of the mask), a look-alike the right half.
        // Frame 1's joint map peaks on the look-alike (0.9 at x 24) and less on the body (0.6 at x 6): read
        // out plainly the joint jumps to the look-alike; on its body it stays there.
        var ids = new byte[16 * 32];
        for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) ids[y * 32 + x] = 3;
        var mask = new ColorTrack.Imaging.IndexedMask(32, 16, ids);
        var first = new KeypointsFile(["hip"], [[new Keypoint(5, 8, true)]], ObjectId: 3);
        var tracking = new KeypointTracking(Stride: 4, TopLocations: 1);
        var video = ColorTrack.Synthetic.SyntheticVideoGenerator.Generate(new ColorTrack.Synthetic.SyntheticVideoOptions(Width: 32, Height: 16, Frames: 2, Seed: 1));
        using (var source = video.AsFrameSource())
            Assert.Equal((24f, 8f), At(tracking.Run(LookAlikeTracker(), source, first, "k.json"), 1));
        using (var source = video.AsFrameSource())
            Assert.Equal((6f, 8f), At(tracking.RunOnObject(LookAlikeTracker(), source, first, "k.json", mask, "m.png"), 1));

        // The body must be in the mask, and the mask the frames' size: one-line errors naming the mask.
        using (var source = video.AsFrameSource())
            Assert.Contains("no object 7", Assert.Throws<BadInputException>(() => tracking.RunOnObject(LookAlikeTracker(), source, first with { ObjectId = 7 }, "k.json", mask, "m.png")).Message);
        using (var source = video.AsFrameSource())
            Assert.Contains("m.png", Assert.Throws<BadInputException>(() => tracking.RunOnObject(LookAlikeTracker(), source, first, "k.json", ColorTrack.Imaging.IndexedMask.Empty(16, 16), "m.png")).Message);
    }

    static (float, float) At(KeypointsFile k, int t) => (k.Frames[t][0].X, k.Frames[t][0].Y);

    /// <summary>A tracker that loses everything after the first frame (all-zero maps).</summary>
    static ScriptedTracker EmptyingTracker() => new("emptying", first => zeros_like(first));

    /// <summary>
    /// Carries the body (label J) as it is and moves the joint maps (labels 0..J-1) to two peaks: 0.9 on the right
    /// half, where the body is not, and 0.6 on the left half, where it is.
    /// </summary>
    static ScriptedTracker LookAlikeTracker() => new("look-alike", first =>
    {
        var soft = first.clone();
        long joints = first.shape[0] == 1 ? 1 : first.shape[0] - 2;
        for (long j = 0; j < joints; j++)
        {
            soft[j] = zeros(first.shape[1], first.shape[2]);
            soft[j, 8, 24] = tensor(0.9f);
            soft[j, 8, 6] = tensor(0.6f);
        }
        return soft;
    });

    /// <summary>A tracker whose every later frame gets <paramref name="later"/> of the first frame's labels.</summary>
    sealed class ScriptedTracker(string name, Func<Tensor, Tensor> later) : ILabelTracker
    {
        public string Name => name;
        public IEnumerable<Tensor> Track(IEnumerable<Tensor> frames, Tensor firstLabels)
        {
            int t = 0;
            foreach (var f in frames)
            {
                f.Dispose();
                if (t++ > 0) yield return later(firstLabels);
            }
        }
    }
}
