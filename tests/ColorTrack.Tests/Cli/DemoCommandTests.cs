using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Cli;

/// <summary>`colortrack demo` refuses bad input with one line, a non-zero exit, and nothing written.</summary>
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
}
