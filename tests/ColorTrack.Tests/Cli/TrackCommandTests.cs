using System.Runtime.InteropServices;
using ColorTrack.Datasets;
using ColorTrack.Evaluation;
using ColorTrack.Imaging;
using ColorTrack.Runtime;
using ColorTrack.Tests.Evaluation;
using ColorTrack.Tests.Propagation;
using ColorTrack.Tests.Support;
using OpenCvSharp;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Cli;

public class TrackCommandTests
{
    public TrackCommandTests() { TorchRuntime.EnsureLoaded(); }

    /// <summary>Frames of a moving-square video as PNGs in dir/frames, its first mask (ids 0 and 7) as dir/first.png.</summary>
    static MovingSquareVideo WriteVideo(TempDir dir)
    {
        var v = new MovingSquareVideo(dx: 4, dy: 4, frames: 5);
        Directory.CreateDirectory(dir["frames"]);
        for (int t = 0; t < v.FrameCount; t++)
        {
            var rgb = v.Frame(t).permute(1, 2, 0).mul(255).round().to(ScalarType.Byte).contiguous().data<byte>().ToArray();
            using var mat = new Mat(v.Height, v.Width, MatType.CV_8UC3);
            Marshal.Copy(rgb, 0, mat.Data, rgb.Length);
            Cv2.CvtColor(mat, mat, ColorConversionCodes.RGB2BGR);
            Cv2.ImWrite(Path.Combine(dir["frames"], $"{t:D5}.png"), mat);
        }
        MaskPng.Write(dir["first.png"], new IndexedMask(v.Width, v.Height, v.Mask(0).Select(b => (byte)(b * 7)).ToArray()));
        return v;
    }

    [Fact]
    public void Track_PixelsWritesIndexedMasksKeepingNonConsecutiveIds()
    {
        using var dir = new TempDir();
        var v = WriteVideo(dir);
        var r = CliProcess.Run(["track", "--frames", dir["frames"], "--mask", dir["first.png"], "--out", dir["out"],
            "--encoder", "pixels", "--stride", "4", "--preset", "paper", "--temperature", "0.01"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var files = Directory.GetFiles(Path.Combine(dir["out"], "frames"), "*.png").Order().ToArray();
        Assert.Equal(v.FrameCount, files.Length);
        var last = MaskPng.Read(files[^1]);
        Assert.Equal(new byte[] { 0, 7 }, last.Ids.Distinct().Order().ToArray());
        Assert.True(MovingSquareVideo.IoU(last.Ids, v.Mask(v.FrameCount - 1)) > 0.95);
        Assert.True(File.Exists(Path.Combine(dir["out"], "frames.provenance.json")));
    }

    [Fact]
    public void Track_KeypointsWithTheirBodysMask_FollowTheBody()
    {
        using var dir = new TempDir();
        var v = WriteVideo(dir);
        var (x0, y0) = v.Corner(0);
        new KeypointsFile(["a", "b"], [[new Keypoint(x0 + 5.5f, y0 + 5.5f, true), new Keypoint(x0 + 17.5f, y0 + 9.5f, true)]]).Save(dir["joints.json"]);
        var r = CliProcess.Run(["track", "--frames", dir["frames"], "--keypoints", dir["joints.json"], "--mask", dir["first.png"], "--out", dir["out"],
            "--encoder", "pixels", "--stride", "4", "--preset", "paper", "--temperature", "0.01"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var tracked = KeypointsFile.Load(Path.Combine(dir["out"], "frames", "keypoints.json"));
        Assert.Equal(v.FrameCount, tracked.Frames.Count);
        var (cx, cy) = v.Corner(v.FrameCount - 1);
        Assert.All(tracked.Frames[^1].Zip(tracked.Frames[0]), p => Assert.True(
            Math.Abs(p.First.X - (p.Second.X + cx - x0)) <= 2.5 && Math.Abs(p.First.Y - (p.Second.Y + cy - y0)) <= 2.5, $"({p.First.X}, {p.First.Y})"));
    }

    [Fact]
    public void Track_BadInputsAreOneLineErrorsAndLeaveNoOutputFolder()
    {
        using var dir = new TempDir();
        var v = WriteVideo(dir);
        MaskPng.Write(dir["small.png"], new IndexedMask(32, 32, new byte[32 * 32]));
        MaskPng.Write(dir["empty.png"], IndexedMask.Empty(v.Width, v.Height));
        File.WriteAllText(dir["not.ckpt"], "hello");
        new KeypointsFile(["a"], [[new Keypoint(10, 10, true)]]).Save(dir["joints.json"]);
        var cases = new (string[] Args, string Expect)[]
        {
            (["--mask", dir["small.png"], "--encoder", "pixels"], "mask is 32x32 but the frames"),
            (["--mask", dir["empty.png"], "--method", "identity"], "no object"),
            (["--keypoints", dir["joints.json"], "--mask", dir["small.png"], "--method", "identity"], "mask is 32x32 but the frames"),
            (["--keypoints", dir["joints.json"], "--mask", dir["empty.png"], "--method", "identity"], "no object"),
            (["--method", "identity"], "give the first frame's --mask or --keypoints"),
            (["--mask", dir["first.png"], "--checkpoint", dir["not.ckpt"]], "not.ckpt"),
            (["--mask", dir["first.png"], "--method", "identity", "--encoder", "pixels"], "choose exactly one"),
            // No encoder: the shipped model, here from a folder without one.
            (["--mask", dir["first.png"]], "model manifest not found"),
        };
        Directory.CreateDirectory(dir["no-models"]);
        var env = new Dictionary<string, string> { ["COLORTRACK_MODELS"] = dir["no-models"] };
        foreach (var (args, expect) in cases)
        {
            var r = CliProcess.Run(["track", "--frames", dir["frames"], "--out", dir["out"], .. args], env);
            Assert.Equal(2, r.ExitCode);
            Assert.Single(r.StderrLines);
            Assert.Contains(expect, r.Stderr);
            Assert.False(Directory.Exists(Path.Combine(dir["out"], "frames")));
            Assert.Empty(Directory.Exists(dir["out"]) ? Directory.GetDirectories(dir["out"]) : []);
        }
    }

    [SharedDataFact]
    public void Track_IdentityOnDavis2016Train_ReproducesTheOfficialScoresExactly()
    {
        using var dir = new TempDir();
        var root = SharedData.Path("data", "davis2016-train");
        var r = CliProcess.Run(["track", "--davis", root, "--method", "identity", "--out", dir["out"]]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var truth = DavisDataset.Open(root, set: "train", year: "2016");
        var result = DavisEvaluator.Evaluate(truth, dir["out"]);
        var fixture = OfficialDavisFixture.Load(SharedData.Path("fixtures", "davis2016-train-official.json"));
        foreach (var seq in truth)
            fixture["identity/" + seq.Name].AssertMatches(result.Objects.Where(o => o.Sequence == seq.Name), tolerance: 1e-12);
    }
}
