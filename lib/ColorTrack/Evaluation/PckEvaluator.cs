using ColorTrack.Datasets;
using Microsoft.Data.Analysis;

namespace ColorTrack.Evaluation;

/// <summary>
/// JHMDB pose tracking accuracy as the CRW / UVC evaluation script computes it: ground truth is
/// pos_img - 1 (zero-based); per frame the normaliser is 0.6 x the length of the diagonal of the box
/// around the ground-truth joints whose prediction is visible; frame 0 (the given frame) is not
/// scored, invisible joints are not scored; a joint is correct at threshold a when
/// |prediction - truth| / normaliser &lt;= a. Distances are pooled over all clips per joint;
/// PCK@a = the mean over joints of each joint's percentage of correct frames.
/// </summary>
public static class PckEvaluator
{
    public static readonly double[] Thresholds = [0.1, 0.2, 0.3, 0.4, 0.5];

    /// <summary>Result: PerJoint[threshold][joint] and Mean[threshold] in percent; Scored[joint] = frames scored.</summary>
    public sealed record Result(double[] Thresholds, double[][] PerJoint, double[] Mean, int[] Scored)
    {
        /// <summary>One row per joint, then "Mean": Joint, Frames, PCK@0.1, ..., PCK@0.5.</summary>
        public DataFrame ToDataFrame()
        {
            int joints = Scored.Length;
            var names = Enumerable.Range(0, joints).Select(j => j < JhmdbJoints.JointNames.Length ? JhmdbJoints.JointNames[j] : $"joint{j + 1}").Append("Mean");
            var columns = new List<DataFrameColumn>
            {
                new StringDataFrameColumn("Joint", names),
                new Int32DataFrameColumn("Frames", Scored.Select(c => (int?)c).Append(null)),
            };
            for (int a = 0; a < Thresholds.Length; a++)
                columns.Add(new DoubleDataFrameColumn($"PCK@{Thresholds[a]:0.0#}", PerJoint[a].Append(Mean[a])));
            return new DataFrame(columns);
        }
    }

    public static Result Evaluate(IEnumerable<(JhmdbJoints Truth, KeypointPrediction Prediction)> clips, double[]? thresholds = null)
    {
        thresholds ??= Thresholds;
        var distances = Enumerable.Range(0, JhmdbJoints.JointCount).Select(_ => new List<double>()).ToArray();
        foreach (var (truth, pred) in clips)
        {
            if (pred.Frames != truth.Frames)
                throw new ArgumentException($"clip {truth.Clip}: {pred.Frames} predicted frames for {truth.Frames} annotated");
            for (int t = 1; t < truth.Frames; t++) // frame 0 is the given one
            {
                if (pred.X[t].Length != JhmdbJoints.JointCount)
                    throw new ArgumentException($"clip {truth.Clip} frame {t}: {pred.X[t].Length} joints, expected {JhmdbJoints.JointCount}");
                double minX = 1e6, maxX = -1, minY = 1e6, maxY = -1; // the reference script's initial values
                for (int j = 0; j < JhmdbJoints.JointCount; j++)
                {
                    if (!pred.Visible[t][j]) continue;
                    minX = Math.Min(minX, truth.X[t][j]); maxX = Math.Max(maxX, truth.X[t][j]);
                    minY = Math.Min(minY, truth.Y[t][j]); maxY = Math.Max(maxY, truth.Y[t][j]);
                }
                double box = 0.6 * Math.Sqrt((maxX - minX) * (maxX - minX) + (maxY - minY) * (maxY - minY));
                for (int j = 0; j < JhmdbJoints.JointCount; j++)
                {
                    if (!pred.Visible[t][j]) continue;
                    double dx = pred.X[t][j] - truth.X[t][j], dy = pred.Y[t][j] - truth.Y[t][j];
                    distances[j].Add(Math.Sqrt(dx * dx + dy * dy) / box);
                }
            }
        }
        var perJoint = thresholds.Select(a => distances.Select(d => d.Count == 0 ? double.NaN : 100.0 * d.Count(x => x <= a) / d.Count).ToArray()).ToArray();
        // A joint never scored (never visible) has no percentage; the reference script would divide by
        // zero there. It is left out of the mean rather than counted as 0 or 100.
        var mean = perJoint.Select(p => p.Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Average()).ToArray();
        return new Result(thresholds, perJoint, mean, distances.Select(d => d.Count).ToArray());
    }
}
