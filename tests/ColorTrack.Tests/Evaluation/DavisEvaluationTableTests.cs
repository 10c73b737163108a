using ColorTrack.Datasets;
using ColorTrack.Evaluation;
using ColorTrack.Imaging;
using ColorTrack.Runtime;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Evaluation;

public class DavisEvaluationTableTests
{
    static DavisObjectResult Obj(string seq, int id, int frameCount, params double[] j) =>
        DavisObjectResult.Create(seq, id, frameCount, j.Select((_, i) => $"{i + 1:D5}").ToArray(), j, j.Select(v => v / 2).ToArray());

    [Fact]
    public void Table_HasTheOfficialColumnOrder_AndAGlobalRowAveragingObjects()
    {
        var e = new DavisEvaluation([Obj("a", 1, 4, 1, 1), Obj("a", 2, 4, 0, 0), Obj("b", 1, 4, 0.5, 0.5)]);
        var t = e.ToDataFrame();
        Assert.Equal(["Sequence", "Object", "J&F-Mean", "J-Mean", "J-Recall", "J-Decay", "F-Mean", "F-Recall", "F-Decay"], t.Columns.Select(c => c.Name));
        Assert.Equal("Global", t.Columns["Sequence"][3]);
        Assert.Equal(0.5, (double)t.Columns["J-Mean"][3]!, 12);
        Assert.Equal(0.25, (double)t.Columns["F-Mean"][3]!, 12);
        Assert.Equal(0.375, (double)t.Columns["J&F-Mean"][3]!, 12);
        Assert.Equal(["a", "a"], e.MultiObjectSubset().Objects.Select(o => o.Sequence));
    }

    [Fact]
    public void ByAttribute_AveragesTheObjectsOfSequencesWithEachAttribute()
    {
        var e = new DavisEvaluation([Obj("a", 1, 4, 1, 1), Obj("b", 1, 4, 0, 0)]);
        var info = new[] { new DavisSequenceInfo("a", ["OCC", "FM"], 4, "test"), new DavisSequenceInfo("b", ["OCC"], 4, "test") };
        var t = DavisBreakdowns.ByAttribute(e, ["FM", "OCC", "SV"], info);
        Assert.Equal(["FM", "OCC"], t.Columns["Attribute"].Cast<string>());
        Assert.Equal(1.0, (double)t.Columns["J-Mean"][0]!);
        Assert.Equal(0.5, (double)t.Columns["J-Mean"][1]!);
    }

    [Fact]
    public void OverNormalisedTime_PutsEachScoredFrameAtItsPositionInTheVideo()
    {
        // 5 frames: scored frames 1, 2, 3 sit at t = 0.25, 0.5, 0.75.
        var e = new DavisEvaluation([Obj("a", 1, 5, 0.1, 0.2, 0.3)]);
        var t = DavisBreakdowns.OverNormalisedTime(e, bins: 4);
        Assert.Equal([0, 1, 1, 1], t.Columns["Frames"].Cast<int?>().Select(v => v ?? -1));
        Assert.Equal(0.2, (double)t.Columns["J-Mean"][2]!, 12);
    }

    [Fact]
    public void Csv_IsFullPrecisionInvariant_AndMarkdownCarriesProvenance()
    {
        var e = new DavisEvaluation([Obj("se,q", 1, 4, 1.0 / 3, 0.25)]);
        var csv = ResultsTable.ToCsv(e.ToDataFrame());
        Assert.Contains("\"se,q\",1,", csv);
        Assert.Contains((1.0 / 3 * 0.5 + 0.25 * 0.5).ToString("R", System.Globalization.CultureInfo.InvariantCulture), csv);
        var md = ResultsTable.ToMarkdown(e.ToDataFrame(), "t", EvaluationProvenance.Capture("colortrack eval-davis", new { Set = "val" }));
        Assert.Contains("| Sequence | Object | J&F-Mean |", md);
        Assert.Contains("colortrack eval-davis", md);
        Assert.Contains("\"set\":\"val\"", md);
    }

    [Fact]
    public void Evaluator_PredictionOfAnotherSize_IsBadInputNamingThePrediction()
    {
        using var dir = new TempDir();
        for (int f = 0; f < 3; f++)
        {
            MaskPng.Write(dir[$"gt/s/{f:D5}.png"], new IndexedMask(4, 4, new byte[16]) { Ids = { [5] = 1 } });
            MaskPng.Write(dir[$"pred/s/{f:D5}.png"], new IndexedMask(5, 4, new byte[20]));
        }
        var e = Assert.Throws<BadInputException>(() => DavisEvaluator.Evaluate(DavisDataset.Open(dir["gt"]), dir["pred"]));
        Assert.Equal(dir["pred/s/00001.png"], e.Path);
        Assert.Contains("5x4", e.Message);
    }

    [Fact]
    public void Evaluator_GroundTruthFrameOfAnotherSize_IsBadInputNamingIt()
    {
        using var dir = new TempDir();
        for (int f = 0; f < 4; f++)
        {
            int w = f == 1 ? 3 : 4; // frame 1 of the ground truth is narrower than frame 0
            MaskPng.Write(dir[$"gt/s/{f:D5}.png"], new IndexedMask(w, 4, new byte[w * 4]));
            MaskPng.Write(dir[$"pred/s/{f:D5}.png"], new IndexedMask(w, 4, new byte[w * 4]));
        }
        var e = Assert.Throws<BadInputException>(() => DavisEvaluator.Evaluate(DavisDataset.Open(dir["gt"]), dir["pred"]));
        Assert.Equal(dir["gt/s/00001.png"], e.Path);
        Assert.Contains("first frame is 4x4", e.Message);
    }

    [Fact]
    public void Evaluator_VoidInTheGroundTruth_IsBackground_AndMissingPredictionFramesAreBadInput()
    {
        using var dir = new TempDir();
        byte[] gt = [1, 1, 0, 255];
        for (int f = 0; f < 3; f++) MaskPng.Write(dir[$"gt/s/{f:D5}.png"], new IndexedMask(2, 2, gt));
        MaskPng.Write(dir["pred/s/00001.png"], new IndexedMask(2, 2, [1, 1, 0, 0]));
        var r = DavisEvaluator.Evaluate(DavisDataset.Open(dir["gt"]), dir["pred"]);
        Assert.Equal(1.0, Assert.Single(r.Objects).J.Single());

        File.Delete(dir["pred/s/00001.png"]);
        var e = Assert.Throws<BadInputException>(() => DavisEvaluator.Evaluate(DavisDataset.Open(dir["gt"]), dir["pred"]));
        Assert.Equal(dir["pred/s/00001.png"], e.Path);
    }
}
