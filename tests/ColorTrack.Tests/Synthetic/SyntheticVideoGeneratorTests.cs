using ColorTrack.Datasets;
using ColorTrack.Imaging;
using ColorTrack.Runtime;
using ColorTrack.Synthetic;
using ColorTrack.Tests.Support;
using ColorTrack.Video;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Synthetic;

public class SyntheticVideoGeneratorTests
{
    public SyntheticVideoGeneratorTests() { TorchRuntime.EnsureLoaded(); OpenCvRuntime.EnsureLoaded(); }

    static readonly SyntheticVideoOptions Options = new(Width: 128, Height: 96, Frames: 16, Objects: 3, Seed: 5);

    [Fact]
    public void Generate_IsAFunctionOfTheSeed()
    {
        var a = SyntheticVideoGenerator.Generate(Options);
        var b = SyntheticVideoGenerator.Generate(Options);
        var c = SyntheticVideoGenerator.Generate(Options with { Seed = 6 });
        for (int t = 0; t < Options.Frames; t++)
        {
            Assert.Equal(a.Frames[t].Rgb, b.Frames[t].Rgb);
            Assert.Equal(a.Masks[t].Ids, b.Masks[t].Ids);
            Assert.Equal(a.Keypoints!.Frames[t], b.Keypoints!.Frames[t]);
        }
        Assert.NotEqual(a.Frames[0].Rgb, c.Frames[0].Rgb);
    }

    [Fact]
    public void Generate_ObjectsMoveOccludeAndTheFigureHasVisibleJoints()
    {
        var v = SyntheticVideoGenerator.Generate(Options with { Frames = 24 });
        Assert.Equal(4, v.ObjectCount); // 3 blobs + the stick figure
        Assert.Equal(24, v.Frames.Count);
        Assert.All(v.Frames, f => Assert.Equal(128 * 96 * 3, f.Rgb.Length));
        // Each object's mask centroid moves over the video (or it leaves the frame).
        for (int id = 1; id <= 4; id++)
        {
            var first = Centroid(v.Masks[0], id);
            var last = Centroid(v.Masks[^1], id);
            Assert.True(first == null || last == null || Math.Abs(first.Value.X - last.Value.X) + Math.Abs(first.Value.Y - last.Value.Y) > 1, $"object {id} moves");
        }
        // Pixels differ from frame to frame (motion, lighting, noise), and the background is textured.
        Assert.NotEqual(v.Frames[0].Rgb, v.Frames[1].Rgb);
        var k = v.Keypoints!;
        Assert.Equal(15, k.Joints.Length);
        Assert.Equal(4, k.ObjectId);
        // A visible joint lies on the figure's own pixels; most joints are visible on most frames.
        int visible = 0;
        for (int t = 0; t < v.Frames.Count; t++)
            for (int j = 0; j < 15; j++)
                if (k.Frames[t][j] is { Visible: true } p)
                {
                    visible++;
                    Assert.Equal(4, v.Masks[t][(int)Math.Round(p.X), (int)Math.Round(p.Y)]);
                }
        Assert.True(visible > 0.3 * 15 * v.Frames.Count, $"{visible} visible joints");
    }

    [Fact]
    public void ManyFrames_SomeObjectLeavesOrEntersTheFrame_AndObjectsOverlap()
    {
        bool leaves = false, occludes = false;
        for (int seed = 0; seed < 4 && !(leaves && occludes); seed++)
        {
            var v = SyntheticVideoGenerator.Generate(new SyntheticVideoOptions(Width: 96, Height: 72, Frames: 40, Objects: 4, Seed: seed, Speed: 1.5));
            var area = Enumerable.Range(1, v.ObjectCount).Select(id => v.Masks.Select(m => m.Ids.Count(x => x == id)).ToArray()).ToArray();
            leaves |= area.Any(a => a.Any(x => x == 0) && a.Any(x => x > 0));
            occludes |= area.Any(a => a.Max() > 0 && a.Min() < 0.7 * a.Max());
        }
        Assert.True(leaves, "an object leaves (or enters) the frame");
        Assert.True(occludes, "an object's visible area shrinks (occlusion or leaving)");
    }

    [Fact]
    public void ToTensor_AndFrameSource_ExposeTheSameFrames()
    {
        using var scope = NewDisposeScope();
        var v = SyntheticVideoGenerator.Generate(SyntheticVideoOptions.Tiny);
        var x = v.ToTensor();                                    // [T, 3, H, W]
        Assert.Equal(new long[] { 12, 3, 64, 96 }, x.shape);
        var f = v.Frames[3];
        Assert.Equal(f.Rgb[(10 * 96 + 20) * 3 + 1] / 255f, x[3, 1, 10, 20].item<float>(), 5);
        using var source = v.AsFrameSource();
        Assert.Equal((96, 64, 12), (source.Width, source.Height, source.FrameCount));
        Assert.Same(f, source.Frames().ElementAt(3));
    }

    [Fact]
    public void WriteDataset_WritesTheDavisLayoutThatReadsBack()
    {
        using var dir = new TempDir();
        var root = dir["synth"];
        var names = SyntheticVideoGenerator.WriteDataset(root, 2, SyntheticVideoOptions.Tiny with { Seed = 3 }, "val");
        Assert.Equal(new[] { "synth-000", "synth-001" }, names);
        Assert.Equal(names, File.ReadAllLines(Path.Combine(root, "ImageSets", "2017", "val.txt")));
        Assert.Equal(names, ColorTrack.Datasets.DavisDataset.Open(root, "val", "2016").Select(s => s.Name)); // what track --davis and eval-davis read
        Assert.True(File.Exists(Path.Combine(root, "provenance.json")));
        var expected = SyntheticVideoGenerator.Generate(SyntheticVideoOptions.Tiny with { Seed = SyntheticVideoGenerator.SequenceSeed(3, 1) }, "synth-001");
        using var frames = FrameSources.Open(Path.Combine(root, "JPEGImages", "480p", "synth-001"));
        var read = frames.Frames().ToList();
        Assert.Equal(12, read.Count);
        double err = read[5].Rgb.Zip(expected.Frames[5].Rgb).Average(p => Math.Abs(p.First - p.Second));
        Assert.True(err < 3, $"JPEG frames close to the rendered ones (mean abs error {err:F2})");
        for (int t = 0; t < 12; t++)
            Assert.Equal(expected.Masks[t].Ids, MaskPng.Read(Path.Combine(root, "Annotations", "480p", "synth-001", $"{t:D5}.png")).Ids);
        var k = KeypointsFile.Load(Path.Combine(root, "Keypoints", "synth-001.json"));
        Assert.Equal(expected.Keypoints!.Frames[7], k.Frames[7]);
        Assert.Equal(expected.Keypoints.ObjectId, k.ObjectId);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(dir.Path), p => AtomicFile.IsTemporary(p));
    }

    [Fact]
    public void WriteDataset_RefusesANonEmptyFolder()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["keep.txt"], "mine");
        var e = Assert.Throws<BadInputException>(() => SyntheticVideoGenerator.WriteDataset(dir.Path, 1, SyntheticVideoOptions.Tiny));
        Assert.Contains("not empty", e.Message);
        Assert.Equal("mine", File.ReadAllText(dir["keep.txt"]));
    }

    static (double X, double Y)? Centroid(IndexedMask m, int id)
    {
        double sx = 0, sy = 0; int n = 0;
        for (int y = 0; y < m.Height; y++) for (int x = 0; x < m.Width; x++) if (m[x, y] == id) { sx += x; sy += y; n++; }
        return n == 0 ? null : (sx / n, sy / n);
    }

    [Fact]
    public void LimbTextures_RideOnTheirLimb_AsTheLimbSwings()
    {
        // The middle of the right shin (knee 9 to ankle 13), followed over a walk without lighting, blur or noise: with
        // limb textures its colour stays (up to where the pixel grid falls); with the belly's, the shin swings under it.
        var plain = new SyntheticVideoOptions(Width: 320, Height: 320, Frames: 24, Objects: 0, CameraPan: 0, Lighting: 0, BlurSigma: 0, Noise: 0, Seed: 3);
        double Change(SyntheticVideoOptions o)
        {
            var v = SyntheticVideoGenerator.Generate(o);
            int[]? first = null;
            double sum = 0; int n = 0;
            for (int t = 0; t < v.Frames.Count; t++)
            {
                var (knee, ankle) = (v.Keypoints!.Frames[t][9], v.Keypoints.Frames[t][13]);
                int x = (int)Math.Round((knee.X + ankle.X) / 2), y = (int)Math.Round((knee.Y + ankle.Y) / 2);
                if (x < 0 || y < 0 || x >= o.Width || y >= o.Height) continue;
                var rgb = Enumerable.Range(0, 3).Select(c => (int)v.Frames[t].Rgb[(y * o.Width + x) * 3 + c]).ToArray();
                if (first is null) { first = rgb; continue; }
                sum += rgb.Zip(first, (a, b) => Math.Abs(a - b)).Average(); n++;
            }
            Assert.True(n >= 10, $"the shin is in the frame on {n} frames");
            return sum / n;
        }
        double onLimb = Change(plain with { LimbTextures = true }), onBelly = Change(plain);
        Assert.True(onLimb < 0.4 * onBelly, $"colour change at the shin's middle: {onLimb:F1} riding on the limb, {onBelly:F1} riding on the belly");
        // The option changes the figure's texture only, not where anything is.
        var a = SyntheticVideoGenerator.Generate(Options);
        var b = SyntheticVideoGenerator.Generate(Options with { LimbTextures = true });
        Assert.Equal(a.Masks[^1].Ids, b.Masks[^1].Ids);
        Assert.Equal(a.Keypoints!.Frames[^1], b.Keypoints!.Frames[^1]);
    }
}
