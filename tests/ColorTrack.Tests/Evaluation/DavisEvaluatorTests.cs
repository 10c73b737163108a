using ColorTrack.Datasets;
using ColorTrack.Evaluation;
using ColorTrack.Imaging;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Evaluation;

public class DavisEvaluatorTests
{
    static string Davis2016 => SharedData.Path("data", "davis2016-train");

    [SharedDataFact]
    public void Evaluator_IdentityPredictionOnDavis2016Train_EqualsTheOfficialEvaluator()
    {
        var fixture = OfficialDavisFixture.Load(SharedData.Path("fixtures", "davis2016-train-official.json"));
        var truth = DavisDataset.Open(Davis2016, set: "train", year: "2016");
        Assert.Equal(["bear", "boat", "dog-agility", "hockey", "kite-walk", "tennis"], truth.Select(s => s.Name));
        var first = truth.ToDictionary(s => s.Name, s => MaskPng.Read(s.MaskPath(s.Frames[0])));

        var result = DavisEvaluator.Evaluate(truth, (seq, _) => first[seq.Name]);

        foreach (var seq in truth)
            fixture["identity/" + seq.Name].AssertMatches(result.Objects.Where(o => o.Sequence == seq.Name));
    }

    [SharedDataFact]
    public void Evaluator_MultiObjectPredictions_EqualTheOfficialEvaluator()
    {
        var root = SharedData.Path("fixtures", "davis-multi-object");
        var fixture = OfficialDavisFixture.Load(Path.Combine(root, "official-metrics.json"));
        var truth = DavisDataset.Open(Path.Combine(root, "ground-truth")); // a plain folder of sequences

        var result = DavisEvaluator.Evaluate(truth, Path.Combine(root, "prediction"));

        Assert.Equal(fixture.Keys.Order(), truth.Select(s => s.Name).Order());
        foreach (var seq in truth)
            fixture[seq.Name].AssertMatches(result.Objects.Where(o => o.Sequence == seq.Name));
        Assert.Equal(2 + 3 + 5 + 2, result.Objects.Count);
    }
}
