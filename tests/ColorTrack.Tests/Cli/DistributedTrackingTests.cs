using System.Text.RegularExpressions;
using ColorTrack.Synthetic;
using ColorTrack.Tests.Support;
using Xunit.Abstractions;

namespace ColorTrack.Tests.Cli;

/// <summary>
/// `track --davis` and `validate` under `mpiexec -n 2`: the sequences are split over the ranks and the
/// results are those of one process — the same mask files byte for byte, the same printed figures.
/// </summary>
public sealed partial class DistributedTrackingTests(ITestOutputHelper output)
{
    /// <summary>Three synthetic sequences of unequal length (so the split is not one half each).</summary>
    static string Dataset(TempDir dir)
    {
        var root = dir["davis"];
        SyntheticVideoGenerator.WriteDataset(root, 3, new SyntheticVideoOptions(Width: 64, Height: 48, Frames: 7, Seed: 5), "train");
        return root;
    }

    [MpiFact]
    public void TwoRanks_TrackDavis_WriteTheMasksOneProcessWrites()
    {
        using var dir = new TempDir();
        var root = Dataset(dir);
        string[] Track(string outDir) => ["track", "--davis", root, "--encoder", "pixels", "--out", outDir, "--threads", "1"];

        var one = CliProcess.Run(Track(dir["one"]));
        Assert.True(one.ExitCode == 0, one.Stderr + one.Stdout);
        var two = MpiJob.Run(2, Track(dir["two"]));
        Assert.True(two.ExitCode == 0, two.Stderr + two.Stdout);
        output.WriteLine(two.Stdout);
        Assert.Contains("tracked 3 sequences, 21 frames", two.Stdout);
        Assert.Contains("over 2 ranks", two.Stdout);

        static string[] Files(string d) => Directory.GetFiles(d, "*.png", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(d, f)).Order(StringComparer.Ordinal).ToArray();
        var files = Files(dir["one"]);
        Assert.Equal(21, files.Length); // 3 sequences x 7 frames, the first frame's mask included
        Assert.Equal(files, Files(dir["two"]));
        foreach (var f in files)
            Assert.True(File.ReadAllBytes(Path.Combine(dir["one"], f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir["two"], f))), f);
        Assert.True(File.Exists(Path.Combine(dir["two"], "provenance.json")));
    }

    [MpiFact]
    public void TwoRanks_Validate_PrintTheFiguresOfOneProcess()
    {
        using var dir = new TempDir();
        var root = Dataset(dir);
        string[] Validate() => ["validate", "--davis", root, "--baseline", "pixels", "identity", "--frames", "0", "--scale", "1", "--threads", "1"];

        var one = CliProcess.Run(Validate());
        Assert.True(one.ExitCode == 0, one.Stderr + one.Stdout);
        var two = MpiJob.Run(2, Validate());
        Assert.True(two.ExitCode == 0, two.Stderr + two.Stdout);
        output.WriteLine(one.Stdout);
        output.WriteLine(two.Stdout);

        // Every figure (each score line without its time, and the per-sequence table) is the same.
        static string Figures(string stdout) => string.Join('\n', stdout.Split('\n')
            .Where(l => !l.StartsWith("validating on", StringComparison.Ordinal))
            .Select(l => Seconds().Replace(l, "")));
        Assert.Contains("pixels: J&F ", one.Stdout);
        Assert.Contains("sequences ahead of pixels", one.Stdout);
        Assert.Equal(Figures(one.Stdout), Figures(two.Stdout));
    }

    [GeneratedRegex(@"; \d+ s\)")]
    private static partial Regex Seconds();
}
