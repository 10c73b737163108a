using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Tests.Support;
using ColorTrack.Training;

namespace ColorTrack.Tests.Cli;

public class TrainCommandTests
{
    public TrainCommandTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void Train_OnSyntheticVideos_WritesARunFolder_ThenResumeExtendsIt()
    {
        using var dir = new TempDir();
        var run = dir["run"];
        var r = CliProcess.Run(["train", "--preset", "tiny", "--steps", "3", "--batch", "2", "--synthetic-videos", "3", "--out", run, "--seed", "5"]);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        foreach (var f in new[] { "bins.json", "run.json", "config.json", "provenance.json", "metrics.jsonl", "summary.json", ColorizationCheckpoint.FileName })
            Assert.True(File.Exists(Path.Combine(run, f)), f);
        Assert.Equal(3, MetricsLog.Read(run).Count);

        r = CliProcess.Run(["train", "--out", run, "--resume", "--steps", "5"]);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Equal([1L, 2, 3, 4, 5], MetricsLog.Read(run).Select(p => p.Step));
        using var ck = ColorizationCheckpoint.Load(Path.Combine(run, ColorizationCheckpoint.FileName));
        Assert.Equal(5, ck.Step);
        Assert.Equal("tiny", ck.Preset.Name);
        Assert.Equal(16 * 2, ck.Centroids.Length);

        // Starting again into the same folder without --resume is refused, not overwritten.
        r = CliProcess.Run(["train", "--preset", "tiny", "--steps", "3", "--out", run]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--resume", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void Train_BadPresetOrMissingBins_IsOneLineBadInput()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(["train", "--preset", "huge", "--steps", "3", "--out", dir["run"]]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown preset 'huge'", Assert.Single(r.StderrLines));
        r = CliProcess.Run(["train", "--videos", dir.Path, "--steps", "3", "--out", dir["run2"]]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--bins", Assert.Single(r.StderrLines));
    }
}
