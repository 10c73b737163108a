using ColorTrack.Imaging;
using ColorTrack.Synthetic;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Cli;

/// <summary>
/// The bad inputs a new user met (issue "Every bad input refused in one clear line"), each through
/// the real CLI: one line on stderr naming the input, exit code 2, nothing written.
/// </summary>
public class BadInputCasesTests
{
    static void AssertRefused(CliProcess.Result r, string mustName, string? outPath = null)
    {
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Stdout}{r.Stderr}");
        var line = Assert.Single(r.StderrLines);
        Assert.Contains(mustName, line);
        Assert.DoesNotContain(".partial", line);
        Assert.DoesNotContain("Exception", line);
        if (outPath != null) Assert.False(File.Exists(outPath) || (Directory.Exists(outPath) && Directory.EnumerateFileSystemEntries(outPath).Any()), $"{outPath} was written");
    }

    /// <summary>A synthetic DAVIS root and a results folder that copies its ground truth (a perfect prediction).</summary>
    static (string Root, string Results, string Sequence) SyntheticPrediction(TempDir dir)
    {
        var root = dir["davis"];
        var seq = SyntheticVideoGenerator.WriteDataset(root, 1, new SyntheticVideoOptions(Width: 64, Height: 48, Frames: 4, Seed: 3), "val")[0];
        var results = dir["results"];
        Directory.CreateDirectory(Path.Combine(results, seq));
        foreach (var f in Directory.GetFiles(Path.Combine(root, "Annotations", "480p", seq)))
            File.Copy(f, Path.Combine(results, seq, Path.GetFileName(f)));
        return (root, results, seq);
    }

    [Fact]
    public void EvalDavis_PredictionWithAnObjectTheTruthLacks_IsRefused_LikeTheOfficialEvaluator()
    {
        using var dir = new TempDir();
        var (root, results, seq) = SyntheticPrediction(dir);
        var ok = CliProcess.Run(["eval-davis", "--davis", root, "--results", results, "--out", dir["ok.csv"]]);
        Assert.True(ok.ExitCode == 0, ok.Stderr);                      // synth's image set is where eval-davis looks

        var frame = Path.Combine(results, seq, "00001.png");
        var m = MaskPng.Read(frame);
        m.Ids[0] = 200;                                                // an object id no ground-truth frame has
        MaskPng.Write(frame, m);
        var r = CliProcess.Run(["eval-davis", "--davis", root, "--results", results, "--out", dir["bad.csv"]]);
        AssertRefused(r, "00001.png", dir["bad.csv"]);
        Assert.Contains("object id 200", r.Stderr);
    }

    [Fact]
    public void UnwritableOutputs_NameTheOutput_NotATemporaryFile()
    {
        using var dir = new TempDir();
        var (root, results, _) = SyntheticPrediction(dir);
        File.WriteAllText(dir["a-file"], "x");
        AssertRefused(CliProcess.Run(["eval-davis", "--davis", root, "--results", results, "--out", Path.Combine(dir["a-file"], "o.csv")]), "a-file");
        AssertRefused(CliProcess.Run(["eval-davis", "--davis", root, "--results", results, "--out", "/proc/colortrack-test.csv"]), "/proc/colortrack-test");
        AssertRefused(CliProcess.Run(["synth", "--videos", "1", "--frames", "2", "--size", "32x32", "--out", Path.Combine(dir["a-file"], "synth")]), "a-file");
        AssertRefused(CliProcess.Run(["train", "--preset", "tiny", "--steps", "1", "--synthetic-videos", "2", "--out", Path.Combine(dir["a-file"], "run")]), "a-file");
        AssertRefused(CliProcess.Run(["track", "--frames", Path.Combine(root, "JPEGImages", "480p", "synth-000"), "--mask", Path.Combine(root, "Annotations", "480p", "synth-000", "00000.png"),
            "--method", "identity", "--out", "/proc/colortrack-test"]), "/proc/colortrack-test");
    }

    [Fact]
    public void NonFiniteKeypoints_AreRefusedBeforeTracking_AndInPredictions()
    {
        using var dir = new TempDir();
        var (root, _, seq) = SyntheticPrediction(dir);
        File.WriteAllText(dir["first.csv"], "frame,joint,x,y,visible\n0,a,10,12,1\n0,b,NaN,20,1\n");
        var r = CliProcess.Run(["track", "--frames", Path.Combine(root, "JPEGImages", "480p", seq), "--keypoints", dir["first.csv"], "--method", "identity", "--out", dir["out"]]);
        AssertRefused(r, "first.csv", dir["out"]);
        Assert.Contains("line 3", r.Stderr);
    }

    [Fact]
    public void CheckData_OnAMissingRoot_IsOneLine()
    {
        using var dir = new TempDir();
        AssertRefused(CliProcess.Run(["check-data", "--manifest", "davis2016", "--root", dir["nowhere"]]), "nowhere");
    }

    [Fact]
    public void Train_WithOutputRedirected_PrintsAProgressLineEveryFewSteps()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(["train", "--preset", "tiny", "--steps", "60", "--batch", "2", "--synthetic-videos", "3", "--out", dir["run"]],
            new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1" });
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var steps = r.Stdout.Split('\n').Where(l => l.StartsWith("step ")).ToList();
        Assert.Contains(steps, l => l.StartsWith("step 25/60 "));
        Assert.Contains(steps, l => l.StartsWith("step 50/60 "));
        Assert.Contains(steps, l => l.StartsWith("step 60/60 "));
        Assert.All(steps, l => Assert.Contains("clips/s", l));
    }

    [Fact]
    public void Track_ACutOffJpegOrAFrameOfAnotherSize_IsOneLine_AndLeavesNoOutputFolder()
    {
        using var dir = new TempDir();
        var (root, _, seq) = SyntheticPrediction(dir);
        var frames = dir["frames"];
        Directory.CreateDirectory(frames);
        foreach (var f in Directory.GetFiles(Path.Combine(root, "JPEGImages", "480p", seq))) File.Copy(f, Path.Combine(frames, Path.GetFileName(f)));
        var mask = Path.Combine(root, "Annotations", "480p", seq, "00000.png");
        var frame2 = Path.Combine(frames, "00002.jpg");
        var whole = File.ReadAllBytes(frame2);

        File.WriteAllBytes(frame2, whole[..(whole.Length / 2)]);
        var r = CliProcess.Run(["track", "--frames", frames, "--mask", mask, "--method", "identity", "--out", dir["out"]]);
        AssertRefused(r, "00002.jpg", dir["out"]);
        Assert.False(Directory.Exists(dir["out"]));

        var other = SyntheticVideoGenerator.Generate(new SyntheticVideoOptions(Width: 32, Height: 32, Frames: 1, Seed: 1));
        SyntheticVideoGenerator.WriteSequence(dir["other"], other);
        File.Copy(Path.Combine(dir["other"], "JPEGImages", "480p", other.Name, "00000.jpg"), frame2, overwrite: true);
        r = CliProcess.Run(["track", "--frames", frames, "--mask", mask, "--method", "identity", "--out", dir["out"]]);
        AssertRefused(r, "00002.jpg", dir["out"]);
        Assert.Contains("32x32", r.Stderr);
        Assert.False(Directory.Exists(dir["out"]));
    }
}
