using System.Globalization;
using ColorTrack.Datasets;
using ColorTrack.Imaging;
using ColorTrack.Tests.Evaluation;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Cli;

public class EvalDavisCommandTests
{
    static Dictionary<string, string[]> ReadCsv(string path) =>
        File.ReadAllLines(path).Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0] + "/" + c[1], c => c);

    [SharedDataFact]
    public void EvalDavis_Davis2016Layout_WritesTheOfficialNumbers_WithProvenance()
    {
        using var dir = new TempDir();
        var root = SharedData.Path("data", "davis2016-train");
        foreach (var s in DavisDataset.Open(root, "train", "2016"))
        {
            var first = MaskPng.Read(s.MaskPath(s.Frames[0]));
            foreach (var f in s.Frames) MaskPng.Write(Path.Combine(dir["pred"], s.Name, f + ".png"), first);
        }

        var r = CliProcess.Run(["eval-davis", "--davis", root, "--results", dir["pred"], "--set", "train", "--year", "2016", "--out", dir["out/davis.csv"]]);

        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("Global", r.Stdout);
        var lines = File.ReadAllLines(dir["out/davis.csv"]);
        Assert.Equal("Sequence,Object,J&F-Mean,J-Mean,J-Recall,J-Decay,F-Mean,F-Recall,F-Decay", lines[0]);
        var rows = ReadCsv(dir["out/davis.csv"]);
        var fixture = OfficialDavisFixture.Load(SharedData.Path("fixtures", "davis2016-train-official.json"));
        foreach (var (name, f) in fixture.Where(kv => kv.Key.StartsWith("identity/", StringComparison.Ordinal)))
        {
            var row = rows[name["identity/".Length..] + "/1"];
            var o = f.Objects[0];
            double[] expected = [(o.JMean + o.FMean) / 2, o.JMean, o.JRecall, o.JDecay, o.FMean, o.FRecall, o.FDecay];
            for (int c = 0; c < 7; c++) Assert.Equal(expected[c], double.Parse(row[2 + c], CultureInfo.InvariantCulture), 1e-9);
        }
        var global = rows["Global/"];
        double jMean = fixture.Where(kv => kv.Key.StartsWith("identity/", StringComparison.Ordinal)).Average(kv => kv.Value.Objects[0].JMean);
        Assert.Equal(jMean, double.Parse(global[3], CultureInfo.InvariantCulture), 1e-9);

        Assert.Contains("git ", File.ReadAllText(dir["out/davis.md"]));
        Assert.Contains("\"results\"", File.ReadAllText(dir["out/davis.provenance.json"]));
        Assert.True(File.Exists(dir["out/davis-per-frame.csv"]));
        Assert.Contains("DEF", File.ReadAllText(dir["out/davis-attributes.csv"])); // bear's attribute from db_info.yml
        Assert.Equal(11, File.ReadAllLines(dir["out/davis-time.csv"]).Length);
    }

    [SharedDataFact]
    public void EvalDavis_MissingSequences_IsOneLineNamingThem_AndExtraSequencesAreFine()
    {
        using var dir = new TempDir();
        var fixtures = SharedData.Path("fixtures", "davis-multi-object");
        Directory.CreateDirectory(dir["partial/judo"]);
        Directory.CreateDirectory(dir["partial/gold-fish"]);

        var r = CliProcess.Run(["eval-davis", "--davis", Path.Combine(fixtures, "ground-truth"), "--results", dir["partial"], "--out", dir["o.csv"]]);

        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.StderrLines);
        Assert.Contains("bike-packing", line);
        Assert.Contains("dogs-jump", line);
        Assert.DoesNotContain("judo", line);
        Assert.False(File.Exists(dir["o.csv"]));

        Directory.CreateDirectory(dir["full"]);
        foreach (var seq in Directory.GetDirectories(Path.Combine(fixtures, "prediction")))
            Directory.CreateSymbolicLink(dir[Path.Combine("full", Path.GetFileName(seq))], seq);
        Directory.CreateDirectory(dir["full/an-extra-sequence"]);
        var ok = CliProcess.Run(["eval-davis", "--davis", Path.Combine(fixtures, "ground-truth"), "--results", dir["full"], "--out", dir["o.csv"]]);
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Equal(12 + 2, File.ReadAllLines(dir["o-multi-object.csv"]).Length); // every sequence has 2+ objects: 12 objects, header, Global
    }
}
