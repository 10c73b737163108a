using System.Text.Json;
using ColorTrack.Evaluation;

namespace ColorTrack.Tests.Evaluation;

/// <summary>
/// One entry of the official-evaluator fixtures (davis2016-train-official.json,
/// davis-multi-object/official-metrics.json), and the check that our results equal it.
/// </summary>
public sealed record OfficialDavisFixture(string Name, int Width, int Height, string[] Frames, OfficialDavisFixture.Obj[] Objects)
{
    public sealed record Obj(int Id, double[] J, double[] F, double JMean, double JRecall, double JDecay, double FMean, double FRecall, double FDecay);

    public static Dictionary<string, OfficialDavisFixture> Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => new OfficialDavisFixture(
            p.Name, p.Value.GetProperty("width").GetInt32(), p.Value.GetProperty("height").GetInt32(),
            p.Value.GetProperty("frames").EnumerateArray().Select(f => f.GetString()!).ToArray(),
            p.Value.GetProperty("objects").EnumerateArray().Select(o => new Obj(
                o.GetProperty("object").GetInt32(),
                o.GetProperty("J").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
                o.GetProperty("F").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
                o.GetProperty("J_mean").GetDouble(), o.GetProperty("J_recall").GetDouble(), o.GetProperty("J_decay").GetDouble(),
                o.GetProperty("F_mean").GetDouble(), o.GetProperty("F_recall").GetDouble(), o.GetProperty("F_decay").GetDouble())).ToArray()));
    }

    /// <summary>Every per-frame value and every per-object statistic equal to <paramref name="tolerance"/>.</summary>
    public void AssertMatches(IEnumerable<DavisObjectResult> ours, double tolerance = 1e-6)
    {
        var mine = ours.ToList();
        Assert.Equal(Objects.Select(o => o.Id), mine.Select(o => o.ObjectId));
        foreach (var (expected, actual) in Objects.Zip(mine))
        {
            Assert.Equal(Frames.Skip(1).Take(Frames.Length - 2).Select(f => Path.GetFileNameWithoutExtension(f)), actual.Frames);
            Assert.Equal(expected.J.Length, actual.J.Length);
            for (int i = 0; i < expected.J.Length; i++)
            {
                Close(expected.J[i], actual.J[i], $"{Name} object {expected.Id} J frame {actual.Frames[i]}");
                Close(expected.F[i], actual.F[i], $"{Name} object {expected.Id} F frame {actual.Frames[i]}");
            }
            Close(expected.JMean, actual.JStats.Mean, $"{Name}/{expected.Id} J-Mean");
            Close(expected.JRecall, actual.JStats.Recall, $"{Name}/{expected.Id} J-Recall");
            Close(expected.JDecay, actual.JStats.Decay, $"{Name}/{expected.Id} J-Decay");
            Close(expected.FMean, actual.FStats.Mean, $"{Name}/{expected.Id} F-Mean");
            Close(expected.FRecall, actual.FStats.Recall, $"{Name}/{expected.Id} F-Recall");
            Close(expected.FDecay, actual.FStats.Decay, $"{Name}/{expected.Id} F-Decay");
        }

        void Close(double e, double a, string what) =>
            Assert.True(Math.Abs(e - a) <= tolerance, $"{what}: official {e:R}, ours {a:R}");
    }
}
