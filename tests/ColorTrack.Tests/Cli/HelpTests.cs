using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Cli;

public class HelpTests
{
    [Fact]
    public void TrainHelp_NamesTheProgramColortrack_AndTheDeviceDefaultsToAuto()
    {
        var r = CliProcess.Run(["train", "--help"]);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("colortrack train [options]", r.Stdout);
        Assert.DoesNotContain("ColorTrack.Cli", r.Stdout);
        var device = r.Stdout.Split('\n').Single(l => l.TrimStart().StartsWith("--device", StringComparison.Ordinal));
        Assert.Contains("[default: auto]", device);
    }

    [Theory]
    [InlineData("track")]
    [InlineData("demo")]
    [InlineData("eval-davis")]
    public void EveryCommandsUsage_StartsWithColortrack(string command)
    {
        var r = CliProcess.Run([command, "--help"]);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains($"colortrack {command} [options]", r.Stdout);
    }

    [Fact]
    public void RootHelp_ListsTheCommands_UnderTheProgramName()
    {
        var r = CliProcess.Run(["--help"]);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("colortrack [command] [options]", r.Stdout);
        Assert.Contains("train", r.Stdout);
    }
}
