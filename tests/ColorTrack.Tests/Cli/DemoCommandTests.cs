using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Cli;

/// <summary>`colortrack demo` runs end to end (a minute-sized run) and refuses bad input with one line, a non-zero exit, and nothing written.</summary>
public class DemoCommandTests
{
    static void AssertOneLineError(CliProcess.Result r, string expected)
    {
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.StderrLines);
        Assert.StartsWith("error: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void Demo_UnwritableOutputFolder_IsOneError()
    {
        // Root can write almost anywhere, but nobody can create folders under /proc.
        var r = CliProcess.Run(["demo", "--out", "/proc/colortrack-demo-test", "--minutes", "0.1"]);
        AssertOneLineError(r, "/proc/colortrack-demo-test");
        Assert.Contains("cannot write", r.Stderr);
    }

    [Fact]
    public void Demo_VideosWithNothingDecodable_IsOneError_AndWritesNothing()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["videos"]);
        File.WriteAllText(dir["videos/clip.mp4"], "not a video");
        var r = CliProcess.Run(["demo", "--out", dir["out"], "--videos", dir["videos"], "--minutes", "0.1"]);
        AssertOneLineError(r, "no decodable video");
        Assert.False(Directory.Exists(dir["out"]));
    }

    [Fact]
    public void Demo_DavisRootWithoutImageSetList_IsOneError_AndWritesNothing()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["davis/Annotations/480p/seq"]);
        Directory.CreateDirectory(dir["davis/JPEGImages/480p/seq"]);
        var r = CliProcess.Run(["demo", "--out", dir["out"], "--davis", dir["davis"], "--minutes", "0.1"]);
        AssertOneLineError(r, "ImageSets");
        Assert.False(Directory.Exists(dir["out"]));
    }

    [Fact]
    public void Demo_FineTuningTheShippedModelWithAnotherPreset_IsOneError_AndWritesNothing()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(["demo", "--out", dir["out"], "--preset", "cpu", "--minutes", "0.1"]);
        AssertOneLineError(r, "needs its preset 'small-lab4', not 'cpu' (give --init none");
        Assert.False(Directory.Exists(dir["out"]));
    }

    [Fact]
    public void Demo_SeedWhoseTrainingVideosWouldBeTheHeldOutOnes_IsOneError_AndWritesNothing()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(["demo", "--out", dir["out"], "--seed", "5", "--heldout-seed", "5", "--minutes", "0.1"]);
        AssertOneLineError(r, "would generate training videos equal to held-out ones (--heldout-seed 5)");
        Assert.False(Directory.Exists(dir["out"]));
    }

    [Fact]
    public void Demo_KeypointSizeBelowTheTrackSize_IsOneError_AndWritesNothing()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(["demo", "--out", dir["out"], "--keypoint-size", "128", "--minutes", "0.1"]);
        AssertOneLineError(r, "--keypoint-size: must be at least --track-size (256) and at most 4 x --size (512), got 128");
        Assert.False(Directory.Exists(dir["out"]));
    }

    /// <summary>A CSV row's first field (quoted when it holds a comma, as "pixels (Lab, best options)") and its second, a number.</summary>
    static (string Name, double Value) CsvNameAndFirstValue(string line)
    {
        int end = line.StartsWith('"') ? line.IndexOf('"', 1) + 1 : line.IndexOf(',');
        var rest = line[(end + 1)..];
        return (line[..end].Trim('"'), double.Parse(rest.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Demo_ShortRun_WritesReportTablesCheckpointAndEveryTrackersMasks()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(["demo", "--out", dir["out"], "--minutes", "0.1", "--train-videos", "2", "--test-videos", "1",
                                "--frames", "8", "--size", "64", "--track-size", "128", "--keypoint-size", "256", "--threads", "1"]);
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("report: ", r.Stdout);
        var report = File.ReadAllText(Path.Combine(dir["out"], "report.html"));
        foreach (var expected in new[] { "J&amp;F", "identity", "optical flow", "colorization", "<img", "plotly" })
            Assert.Contains(expected, report, StringComparison.OrdinalIgnoreCase);
        Assert.True(File.Exists(Path.Combine(dir["out"], "run", "checkpoint.ctckpt")));
        Assert.True(File.Exists(Path.Combine(dir["out"], "run", "metrics.jsonl")));
        var summary = File.ReadAllLines(Path.Combine(dir["out"], "summary.csv")).Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(1 + 7, summary.Count); // header + seven trackers: the fine-tuned model (two inferences), the model it started from, four baselines
        foreach (var folder in new[] { "colorization", "colorization-best", "colorization-start", "pixels", "pixels-best", "identity", "flow" })
            Assert.Equal(8, Directory.GetFiles(Path.Combine(dir["out"], "results", folder, "synth-000"), "*.png").Length);
        Assert.True(File.Exists(Path.Combine(dir["out"], "keypoints.csv")));
        Assert.Empty(Directory.GetFiles(dir["out"], "*.partial", SearchOption.AllDirectories));

        // The verdict judges the model with its best options and names every tracker ahead of it on J&F.
        var jf = summary.Skip(1).Select(CsvNameAndFirstValue).ToDictionary(r => r.Name, r => r.Value);
        var ours = jf["colorization (best options)"];
        var verdict = r.Stdout.Split('\n').Where(l => l.StartsWith("verdict:")).ToList();
        Assert.Equal(3, verdict.Count);                                                    // J&F, PCK@0.2, what the fine-tuning changed
        Assert.Contains($"colorization (best options) (J&F {ours:F3})", verdict[0]);
        var ahead = jf.Where(kv => !kv.Key.StartsWith("colorization") && kv.Value > ours).Select(kv => kv.Key).ToList();
        Assert.Equal(ahead.Count > 0, verdict[0].Contains("is BEHIND"));
        foreach (var name in ahead) Assert.Contains($"{name} ({jf[name]:F3}, by {jf[name] - ours:F3})", verdict[0]);
        Assert.Contains("PCK@0.2", verdict[1]);
        var before = jf["colorization, before the demo's training (best options)"];
        Assert.Contains($"moved J&F from {before:F3} to {ours:F3}", verdict[2]);
        Assert.Equal(ours < before, verdict[2].Contains("the model it started from is better"));
        // Fine-tuned by default: the report says from what, and how the small clips were tracked (the joints on a finer grid).
        Assert.Contains("the shipped model <code>default</code>", report);
        Assert.Contains("enlarged to 128 px", report);
        Assert.Contains("track the joints on frames enlarged to 256 px", report);
    }
}
