using ColorTrack.Color;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Cli;

public class SynthQuantizeCommandTests
{
    [Fact]
    public void SynthThenQuantize_WritesADataSetAndItsColourBins()
    {
        using var dir = new TempDir();
        var synth = CliProcess.Run(["synth", "--out", dir["data"], "--videos", "2", "--frames", "10", "--size", "64x48", "--objects", "2", "--seed", "4"]);
        Assert.True(synth.ExitCode == 0, synth.Stdout + synth.Stderr);
        Assert.Equal(10, Directory.GetFiles(Path.Combine(dir["data"], "JPEGImages", "480p", "synth-001"), "*.jpg").Length);
        Assert.Equal(10, Directory.GetFiles(Path.Combine(dir["data"], "Annotations", "480p", "synth-001"), "*.png").Length);

        var q = CliProcess.Run(["quantize", "--videos", dir["data"], "--k", "4", "--restarts", "2", "--every-frame", "2", "--every-pixel", "2", "--out", dir["bins.json"]]);
        Assert.True(q.ExitCode == 0, q.Stdout + q.Stderr);
        Assert.Contains("inertia", q.Stdout);
        Assert.Contains("samples", q.Stdout); // the cluster-size table
        var bins = KMeansColorQuantizer.Load(dir["bins.json"]);
        Assert.Equal(4, bins.K);
        Assert.Equal(2 * 5 * 24 * 32, bins.SampleCount); // 2 videos x 5 frames x (48/2 x 64/2) pixels
        Assert.Equal("quantize", (string?)bins.Provenance!["command"]);
    }

    [Fact]
    public void Synth_BadSize_OneLineErrorAndNoOutput()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(["synth", "--out", dir["data"], "--size", "64by48"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("64by48", Assert.Single(r.StderrLines));
        Assert.False(Directory.Exists(dir["data"]));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Quantize_MissingVideo_OneLineErrorAndNoBinsFile()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(["quantize", "--videos", dir["missing.mp4"], "--out", dir["bins.json"]]);
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.StderrLines);
        Assert.Contains("missing.mp4", line);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }
}
