using ColorTrack.Color;
using ColorTrack.Data;
using ColorTrack.Imaging;
using ColorTrack.Runtime;
using ColorTrack.Synthetic;
using ColorTrack.Tests.Support;
using ColorTrack.Video;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Data;

public class ClipSamplerTests
{
    public ClipSamplerTests() { TorchRuntime.EnsureLoaded(); OpenCvRuntime.EnsureLoaded(); }

    static readonly KMeansColorQuantizer Bins = new(new float[] { 0, 0, 60, 40, -40, 40, 20, -60 });

    static readonly SyntheticVideoOptions Small = SyntheticVideoOptions.Tiny with { Frames = 10 };

    [Fact]
    public void Batches_HaveThePaperShapesAndRanges()
    {
        using var scope = NewDisposeScope();
        var o = new ClipSamplerOptions(BatchSize: 3, FrameSize: 64, Stride: 8, Seed: 1);
        using var sampler = new ClipSampler(VideoSet.Synthetic(2, Small), Bins, o);
        using var batch = sampler.Next();
        Assert.Equal(new long[] { 3, 4, 1, 64, 64 }, batch.Gray.shape);
        Assert.Equal(ScalarType.Float32, batch.Gray.dtype);
        Assert.Equal(new long[] { 3, 4, 8, 8 }, batch.Bins.shape);
        Assert.Equal(ScalarType.Int64, batch.Bins.dtype);
        Assert.InRange(batch.Gray.min().item<float>(), -1f, 1f);
        Assert.InRange(batch.Gray.max().item<float>(), -1f, 1f);
        Assert.True(batch.Gray.std().item<float>() > 0.05f, "a textured scene is not flat gray");
        Assert.InRange(batch.Bins.min().item<long>(), 0, 3);
        Assert.InRange(batch.Bins.max().item<long>(), 0, 3);
    }

    [Fact]
    public void Sequence_DependsOnTheSeedOnly_NotOnWorkers()
    {
        using var scope = NewDisposeScope();
        var videos = VideoSet.Synthetic(3, Small);
        var o = new ClipSamplerOptions(BatchSize: 2, FrameSize: 32, Stride: 8, Seed: 7);
        using var one = new ClipSampler(videos, Bins, o with { Workers = 1 });
        using var two = new ClipSampler(videos, Bins, o with { Workers = 2, Prefetch = 3 });
        using var other = new ClipSampler(videos, Bins, o with { Seed = 8 });
        bool anyDifferent = false;
        for (int i = 0; i < 5; i++)
        {
            using var a = one.Next();
            using var b = two.Next();
            using var c = other.Next();
            Assert.True(a.Gray.eq(b.Gray).all().item<bool>() && a.Bins.eq(b.Bins).all().item<bool>(), $"batch {i} differs between 1 and 2 workers");
            anyDifferent |= !a.Gray.eq(c.Gray).all().item<bool>();
        }
        Assert.True(anyDifferent, "another seed gives other clips");
    }

    [Fact]
    public void Targets_AreTheBinsOfTheFrameColours()
    {
        // A video whose left half is pure red and right half pure blue: without augmentation every
        // target cell on the left is red's bin and on the right blue's bin; gray is L/50 - 1.
        int w = 32, h = 32;
        var rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) { int i = (y * w + x) * 3; if (x < w / 2) rgb[i] = 255; else rgb[i + 2] = 255; }
        var frames = Enumerable.Range(0, 6).Select(t => new VideoFrame(t, t / 6.0, w, h, rgb)).ToList();
        var video = new SyntheticVideo("halves", 6, frames, frames.Select(_ => IndexedMask.Empty(w, h)).ToList(), null);
        var set = new VideoSet(new[] { new VideoSet.Entry("halves", _ => video.AsFrameSource(), Resample: false) });
        var (rl, ra, rb) = LabColor.FromRgb(1, 0, 0);
        var (_, ba, bb) = LabColor.FromRgb(0, 0, 1);
        using var sampler = new ClipSampler(set, Bins, new ClipSamplerOptions(BatchSize: 1, FrameSize: 32, Stride: 8, Augment: false), start: false);
        var batch = sampler.BuildBatch(0);
        Assert.Equal(4 * 4 * 4, batch.Bins.Length);
        for (int t = 0; t < 4; t++)
            for (int cy = 0; cy < 4; cy++)
                for (int cx = 0; cx < 4; cx++)
                    Assert.Equal(cx < 2 ? Bins.Bin((float)ra, (float)rb) : Bins.Bin((float)ba, (float)bb), batch.Bins[t * 16 + cy * 4 + cx]);
        Assert.Equal(rl / 50 - 1, batch.Gray[0], 3);
        // The regression targets: each cell's mean Lab on the network scale, [T, 3, 4, 4].
        Assert.Null(batch.Chroma);
        var bl = LabColor.FromRgb(0, 0, 1).Item1;
        for (int t = 0; t < 4; t++)
            for (int c = 0; c < 16; c++)
            {
                bool red = c % 4 < 2;
                int at = t * 48 + c;
                Assert.Equal((red ? rl : bl) / 50 - 1, batch.CellLab[at], 3);
                Assert.Equal((red ? ra : ba) / 50, batch.CellLab[at + 16], 3);
                Assert.Equal((red ? rb : bb) / 50, batch.CellLab[at + 32], 3);
            }
        // With Lab input, the a, b planes at input resolution too: [T, 2, 32, 32].
        using var lab = new ClipSampler(set, Bins, new ClipSamplerOptions(BatchSize: 1, FrameSize: 32, Stride: 8, Augment: false, LabInput: true), start: false);
        var withLab = lab.BuildBatch(0);
        Assert.Equal(batch.Gray, withLab.Gray);
        Assert.Equal(ra / 50, withLab.Chroma![0], 3);                 // frame 0, a, top-left pixel (red)
        Assert.Equal(bb / 50, withLab.Chroma![32 * 32 + 31], 3);      // frame 0, b, top-right pixel (blue)
    }

    [Fact]
    public void ColourJitter_ChangesColoursPerClip_AndIsOffByDefault()
    {
        var set = VideoSet.Synthetic(2, Small);
        var o = new ClipSamplerOptions(BatchSize: 4, FrameSize: 32, Stride: 8, Seed: 2);
        using var plain = new ClipSampler(set, Bins, o, start: false);
        using var jittered = new ClipSampler(set, Bins, o with { ColorJitter = 0.3 }, start: false);
        var a = plain.BuildBatch(0);
        var b = jittered.BuildBatch(0);
        Assert.NotEqual(a.Gray, b.Gray);
        Assert.NotEqual(a.CellLab, b.CellLab);
        Assert.All(b.Gray, g => Assert.InRange(g, -1f, 1f));
    }

    [Fact]
    public void TrainingData_ThatOverlapsTheValidationSet_IsRefused()
    {
        var root = Path.Combine(Path.GetTempPath(), "davis-root");
        string[] names = ["bear", "boat"];
        VideoSet.CheckDisjoint(["/data/videos/dog.mp4", "/data/frames/cat"], root, names);
        var byName = Assert.Throws<BadInputException>(() => VideoSet.CheckDisjoint(["/data/videos/dog.mp4", "/data/videos/bear.mp4"], root, names));
        Assert.Contains("bear.mp4", byName.Message);
        var inside = Assert.Throws<BadInputException>(() => VideoSet.CheckDisjoint([Path.Combine(root, "JPEGImages", "480p", "kite")], root, names));
        Assert.Contains("validation data", inside.Message);
    }

    [Fact]
    public void Flip_MirrorsTheClip()
    {
        // Over many augmented batches of a left-red/right-blue video, both orientations occur.
        int w = 40, h = 40;
        var rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) rgb[(y * w + x) * 3 + (x < w / 2 ? 0 : 2)] = 255;
        var frames = Enumerable.Range(0, 4).Select(t => new VideoFrame(t, t, w, h, rgb)).ToList();
        var video = new SyntheticVideo("halves", 6, frames, frames.Select(_ => IndexedMask.Empty(w, h)).ToList(), null);
        var set = new VideoSet(new[] { new VideoSet.Entry("halves", _ => video.AsFrameSource(), Resample: false) });
        using var sampler = new ClipSampler(set, Bins, new ClipSamplerOptions(BatchSize: 8, FrameSize: 32, Stride: 8), start: false);
        var batch = sampler.BuildBatch(0);
        int red = Bins.Bin(80, 67), leftRed = 0, leftBlue = 0;
        for (int b = 0; b < 8; b++)
        {
            if (batch.Bins[b * 64] == red) leftRed++; else leftBlue++;
            for (int t = 1; t < 4; t++) Assert.Equal(batch.Bins[b * 64], batch.Bins[b * 64 + t * 16]); // one crop per clip
        }
        Assert.True(leftRed > 0 && leftBlue > 0, $"{leftRed} unflipped, {leftBlue} flipped");
    }

    [Fact]
    public void ReopenedSampler_ReusesTheSetsDecodedFrames_AndRepeatsTheSequence()
    {
        var set = VideoSet.Synthetic(2, Small);
        var o = new ClipSamplerOptions(BatchSize: 2, FrameSize: 32, Stride: 8, Seed: 3);
        using var first = new ClipSampler(set, Bins, o, start: false);
        var a = first.BuildBatch(5);
        using var again = new ClipSampler(set, Bins, o, start: false);
        Assert.True(again.CachedBytes > 0, "frames decoded by the first sampler are kept with the set");
        Assert.Equal(a.Gray, again.BuildBatch(5).Gray);
    }

    [SharedDataFact]
    public void RealVideos_ResampledAndCached()
    {
        using var scope = NewDisposeScope();
        var set = VideoSet.FromPaths(new[] { SharedData.Path("data", "davis2016-train", "JPEGImages", "480p", "bear"), SharedData.Path("data", "videos", "cat.mp4") });
        Assert.Equal(new[] { "bear", "cat" }, set.Videos.Select(v => v.Name));
        using var sampler = new ClipSampler(set, Bins, new ClipSamplerOptions(BatchSize: 4, FrameSize: 64, Stride: 8, Workers: 2));
        for (int i = 0; i < 3; i++) { using var b = sampler.Next(); Assert.Equal(new long[] { 4, 4, 8, 8 }, b.Bins.shape); }
        Assert.True(sampler.CachedBytes > 0);
    }

    [Fact]
    public void VideoSet_BadPathsNameThemselves()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["list.txt"], "missing.mp4\n");
        Directory.CreateDirectory(dir["empty"]);
        File.WriteAllText(dir["notes.md"], "hi");
        foreach (var (path, problem) in new[] { (dir["list.txt"], "missing.mp4"), (dir["empty"], "no videos"), (dir["notes.md"], "not a video"), (dir["nope"], "no such") })
        {
            var e = Assert.Throws<BadInputException>(() => VideoSet.FromPaths(new[] { path }));
            Assert.Equal(path, e.Path);
            Assert.Contains(problem, e.Message);
        }
    }

    [Fact]
    public void BadVideo_SurfacesFromNextAsBadInput()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["broken.mp4"], "not a video at all");
        var set = VideoSet.FromPaths(new[] { dir["broken.mp4"] });
        using var sampler = new ClipSampler(set, Bins, new ClipSamplerOptions(BatchSize: 1, FrameSize: 32));
        var e = Assert.Throws<BadInputException>(() => sampler.Next());
        Assert.EndsWith("broken.mp4", e.Path);
    }

    /// <summary>A still video: the same horizontal gray ramp in every frame (dark left, bright right).</summary>
    static VideoSet StillRamp(TempDir dir, int frames = 12, int side = 96)
    {
        var folder = dir["ramp"];
        Directory.CreateDirectory(folder);
        using var mat = new OpenCvSharp.Mat(side, side, OpenCvSharp.MatType.CV_8UC3);
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
            {
                var v = (byte)(40 + 170 * x / (side - 1));
                mat.Set(y, x, new OpenCvSharp.Vec3b(v, v, v));
            }
        for (int t = 0; t < frames; t++) OpenCvSharp.Cv2.ImWrite(Path.Combine(folder, $"{t:D5}.png"), mat);
        return VideoSet.FromPaths([folder]);
    }

    [Fact]
    public void CameraPan_MovesTheCropAtConstantVelocity_AndZeroPanKeepsStillVideoStill()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var videos = StillRamp(dir);
        var still = new ClipSamplerOptions(BatchSize: 16, FrameSize: 64, Stride: 8, FramesPerSecond: 100, Seed: 3);
        using (var sampler = new ClipSampler(videos, Bins, still))
        using (var batch = sampler.Next())
        {
            var g = batch.Gray;                                                   // [B, 4, 1, 64, 64]
            Assert.True(g.narrow(1, 0, 1).expand_as(g).equal(g).all().item<bool>()); // no pan: every frame is the first
        }
        using var panning = new ClipSampler(videos, Bins, still with { CameraPan = 0.05 });
        using var b2 = panning.Next();
        var means = b2.Gray.mean([2, 3, 4]);                                      // [B, 4]: brightness of each frame
        var steps = means.narrow(1, 1, 3) - means.narrow(1, 0, 3);                 // [B, 3]: change per frame
        int moving = 0;
        for (int b = 0; b < 16; b++)
        {
            var d = steps[b].data<float>().ToArray();
            // One direction throughout (a pan, not a jitter): positions are whole cached pixels, so a slow
            // pan may stand still for a frame, but never turns back.
            Assert.False(d.Any(v => v > 1e-4f) && d.Any(v => v < -1e-4f), string.Join(", ", d));
            if (d.Min(Math.Abs) < 0.01f) continue;
            moving++;
            // A clear pan moves about the same amount every frame.
            Assert.InRange(d.Max(Math.Abs) / d.Min(Math.Abs), 1, 2.5);
        }
        Assert.True(moving >= 4, $"{moving} of 16 clips panned clearly");
    }

    [Fact]
    public void MaxCropScale_DrawsCloseUps_ThatShowTheirShareOfTheFrame()
    {
        // On a still ramp, a clip's range of gray is the share of the frame's width its crop shows.
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var videos = StillRamp(dir);
        float[] Spans(ClipSamplerOptions o)
        {
            using var sampler = new ClipSampler(videos, Bins, o);
            using var batch = sampler.Next();
            var first = batch.Gray.select(1, 0);                                   // [B, 1, S, S]: each clip's first frame
            return (first.amax([1, 2, 3]) - first.amin([1, 2, 3])).data<float>().ToArray();
        }
        var whole = new ClipSamplerOptions(BatchSize: 16, FrameSize: 32, Stride: 8, FramesPerSecond: 100, MinCropScale: 1, Seed: 3);
        var full = Spans(whole);
        Assert.True(full.Max() - full.Min() < 1e-3f, "whole frames all show the whole ramp");
        var closeUps = Spans(whole with { MinCropScale = 0.4, MaxCropScale = 0.5 });
        foreach (var span in closeUps) Assert.InRange(span / full[0], 0.35f, 0.55f);
        Assert.True(closeUps.Max() - closeUps.Min() > 0.02f * full[0], "crop sides vary within the range");
        Assert.Throws<ArgumentException>(() => (whole with { MinCropScale = 0.6, MaxCropScale = 0.5 }).Validate());
    }
}
