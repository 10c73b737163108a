using System.Globalization;
using ColorTrack.Tests.Evaluation;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Cli;

public class EvalPckCommandTests
{
    [SharedDataFact]
    public void EvalPck_NoisyPredictions_WritesTheReferencePck()
    {
        using var dir = new TempDir();
        var (truth, cases) = PckEvaluatorTests.Fixture();
        var (pred, reference) = cases["noisy"];
        pred.Save(dir[Path.Combine("pred", truth.Clip + ".json")]);

        var r = CliProcess.Run(["eval-pck", "--jhmdb", SharedData.Path("data", "jhmdb-sample"), "--results", dir["pred"], "--out", dir["out/pck.csv"]]);

        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        var lines = File.ReadAllLines(dir["out/pck.csv"]);
        Assert.Equal("Joint,Frames,PCK@0.1,PCK@0.2,PCK@0.3,PCK@0.4,PCK@0.5", lines[0]);
        var mean = lines.Single(l => l.StartsWith("Mean,", StringComparison.Ordinal)).Split(',');
        for (int a = 0; a < 5; a++) Assert.Equal(reference[a], double.Parse(mean[2 + a], CultureInfo.InvariantCulture), 1e-6);
        Assert.True(File.Exists(dir["out/pck.provenance.json"]));
        Assert.Contains("Mean", r.Stdout);
    }

    [SharedDataFact]
    public void EvalPck_MissingClipPredictions_IsOneLineNamingThem()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["empty"]);
        var r = CliProcess.Run(["eval-pck", "--jhmdb", SharedData.Path("data", "jhmdb-sample"), "--results", dir["empty"]]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Goal_Keeping_Tips_catch_f_cm_np1_fr_med_2", Assert.Single(r.StderrLines));
    }
}
