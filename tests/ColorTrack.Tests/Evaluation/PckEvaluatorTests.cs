using System.Text.Json;
using ColorTrack.Datasets;
using ColorTrack.Evaluation;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Evaluation;

public class PckEvaluatorTests
{
    public static (JhmdbJoints Truth, Dictionary<string, (KeypointPrediction Prediction, double[] Reference)> Cases) Fixture()
    {
        var truth = JhmdbJoints.Load(SharedData.Path("data", "jhmdb-sample", "joint_positions.mat"), "Goal_Keeping_Tips_catch_f_cm_np1_fr_med_2");
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedData.Path("fixtures", "jhmdb-pck-official.json")));
        var cases = new Dictionary<string, (KeypointPrediction, double[])>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateObject())
        {
            var grid = c.Value.GetProperty("prediction_grid_xy").EnumerateArray()
                .Select(axis => axis.EnumerateArray().Select(j => j.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray()).ToArray();
            var pred = KeypointPrediction.FromGrid(grid, c.Value.GetProperty("feat_res").GetInt32(), c.Value.GetProperty("width").GetInt32(), c.Value.GetProperty("height").GetInt32());
            var reference = PckEvaluator.Thresholds.Select(a => c.Value.GetProperty("reference_pck_percent").GetProperty(a.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)).GetDouble()).ToArray();
            cases[c.Name] = (pred, reference);
        }
        return (truth, cases);
    }

    [SharedDataTheory]
    [InlineData("identity")]
    [InlineData("noisy")]
    public void Pck_OnTheJhmdbSample_EqualsTheReferenceScript(string name)
    {
        var (truth, cases) = Fixture();
        var (pred, reference) = cases[name];

        var result = PckEvaluator.Evaluate([(truth, pred)]);

        for (int a = 0; a < reference.Length; a++)
            Assert.True(Math.Abs(reference[a] - result.Mean[a]) < 1e-6, $"{name} PCK@{PckEvaluator.Thresholds[a]}: reference {reference[a]}, ours {result.Mean[a]:R}");
    }

    static JhmdbJoints Line(int frames) => new("c",
        Enumerable.Range(0, frames).Select(_ => Enumerable.Range(0, 15).Select(j => (double)j * 10).ToArray()).ToArray(),
        Enumerable.Range(0, frames).Select(_ => new double[15]).ToArray());

    [Fact]
    public void Pck_SkipsFrameZeroAndInvisibleJoints_AndNormalisesByTheVisibleBox()
    {
        var truth = Line(3); // joints at x = 0, 10, ..., 140 on y = 0
        var x = truth.X.Select(r => (double[])r.Clone()).ToArray();
        var y = truth.Y.Select(r => (double[])r.Clone()).ToArray();
        var visible = Enumerable.Range(0, 3).Select(_ => Enumerable.Repeat(true, 15).ToArray()).ToArray();
        x[0][0] += 1000;                          // frame 0 is never scored
        visible[1][14] = false; x[1][14] += 1000; // invisible: not scored, and the box shrinks to x in [0, 130]
        x[1][0] += 0.2 * 0.6 * 130 + 1e-9;        // just beyond 0.2 of frame 1's box
        x[2][1] += 0.1 * 0.6 * 140;               // exactly 0.1 of frame 2's box (<= counts)

        var r = PckEvaluator.Evaluate([(truth, new KeypointPrediction(x, y, visible))]);

        Assert.Equal(2, r.Scored[0]);
        Assert.Equal(1, r.Scored[14]);
        Assert.Equal(50.0, r.PerJoint[1][0]);   // PCK@0.2 of joint 0: frame 1 misses, frame 2 hits
        Assert.Equal(100.0, r.PerJoint[2][0]);  // PCK@0.3: both hit
        Assert.Equal(100.0, r.PerJoint[0][1]);  // joint 1 at exactly 0.1
        Assert.Equal(100.0, r.PerJoint[0][14]);
    }

    [Fact]
    public void KeypointPrediction_SaveLoad_RoundTripsExactly()
    {
        using var dir = new TempDir();
        var p = new KeypointPrediction([[1.0 / 3, 2.5]], [[7.125, -0.1]], [[true, false]]);
        p.Save(dir["clip.json"]);
        var back = KeypointPrediction.Load(dir["clip.json"]);
        Assert.Equal(p.X[0], back.X[0]);
        Assert.Equal(p.Y[0], back.Y[0]);
        Assert.Equal(p.Visible[0], back.Visible[0]);
    }

    [Fact]
    public void KeypointPrediction_SavedFile_IsAKeypointsFileWithJhmdbJointNames()
    {
        using var dir = new TempDir();
        var x = new[] { Enumerable.Range(0, 15).Select(j => j + 0.5).ToArray() };
        new KeypointPrediction(x, x, [Enumerable.Repeat(true, 15).ToArray()]).Save(dir["c.json"]);
        var file = KeypointsFile.Load(dir["c.json"]);
        Assert.Equal(JhmdbJoints.JointNames, file.Joints);
        Assert.Equal(14.5f, file.Frames[0][14].X);
    }

    [Fact]
    public void KeypointPrediction_FindsJsonCsvOrTrackOutput_AndReadsCsv()
    {
        using var dir = new TempDir();
        Assert.Null(KeypointPrediction.Find(dir.Path, "clip"));
        Directory.CreateDirectory(dir["clip"]);
        File.WriteAllText(dir["clip/keypoints.json"], "{\"joints\": [\"a\"], \"frames\": [{\"frame\": 0, \"points\": [[1, 2, 1]]}]}");
        Assert.Equal(dir["clip/keypoints.json"], KeypointPrediction.Find(dir.Path, "clip"));
        File.WriteAllText(dir["clip.csv"], "frame,joint,x,y,visible\n0,a,1.5,2,1\n0,b,3,4,0\n1,a,5,6,1\n1,b,7,8,1\n");
        Assert.Equal(dir["clip.csv"], KeypointPrediction.Find(dir.Path, "clip"));
        var p = KeypointPrediction.Load(dir["clip.csv"]);
        Assert.Equal(2, p.Frames);
        Assert.Equal([1.5, 3], p.X[0]);
        Assert.Equal([false, true], p.Visible.Select(v => v[1]));
    }

    [Fact]
    public void KeypointPrediction_MalformedFile_IsBadInputNamingIt()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["bad.json"], "{\"frames\": [{\"frame\": 0, \"points\": [[1]]}]}");
        var e = Assert.Throws<BadInputException>(() => KeypointPrediction.Load(dir["bad.json"]));
        Assert.Equal(dir["bad.json"], e.Path);
    }
}
