using ColorTrack.Datasets;
using Microsoft.Data.Analysis;

namespace ColorTrack.Evaluation;

/// <summary>
/// The analyses beyond the summary that the paper shows: J and F by DAVIS attribute (Figure 6),
/// J over normalised time in the video (Figure 5); the multi-object subset (section 4.3) is
/// <see cref="DavisEvaluation.MultiObjectSubset"/>.
/// </summary>
public static class DavisBreakdowns
{
    /// <summary>
    /// Per attribute: the objects of the evaluated sequences that have it, their mean J, F and J&amp;F
    /// (averaged over objects, like the global row). Attributes no evaluated sequence has are left out.
    /// </summary>
    public static DataFrame ByAttribute(DavisEvaluation evaluation, IReadOnlyList<string> attributes, IReadOnlyList<DavisSequenceInfo> info)
    {
        var byName = info.ToDictionary(s => s.Name);
        var rows = new List<(string Attribute, int Sequences, int Objects, double J, double F)>();
        foreach (var a in attributes)
        {
            var objects = evaluation.Objects.Where(o => byName.TryGetValue(o.Sequence, out var s) && s.Attributes.Contains(a)).ToList();
            if (objects.Count == 0) continue;
            rows.Add((a, objects.Select(o => o.Sequence).Distinct().Count(), objects.Count,
                objects.Average(o => o.JStats.Mean), objects.Average(o => o.FStats.Mean)));
        }
        return new DataFrame(
            new StringDataFrameColumn("Attribute", rows.Select(r => r.Attribute)),
            new Int32DataFrameColumn("Sequences", rows.Select(r => r.Sequences)),
            new Int32DataFrameColumn("Objects", rows.Select(r => r.Objects)),
            new DoubleDataFrameColumn("J&F-Mean", rows.Select(r => (r.J + r.F) / 2)),
            new DoubleDataFrameColumn("J-Mean", rows.Select(r => r.J)),
            new DoubleDataFrameColumn("F-Mean", rows.Select(r => r.F)));
    }

    /// <summary>
    /// Mean J and F of all scored frames whose position in their video, t = frame index / (length - 1)
    /// in [0, 1], falls in each of <paramref name="bins"/> equal bins (t = 1 goes to the last bin).
    /// </summary>
    public static DataFrame OverNormalisedTime(DavisEvaluation evaluation, int bins = 10)
    {
        var sumJ = new double[bins]; var sumF = new double[bins]; var count = new int[bins];
        foreach (var o in evaluation.Objects)
            for (int i = 0; i < o.J.Length; i++)
            {
                double t = (i + 1) / (double)(o.FrameCount - 1); // scored frame i is frame i + 1 of the video
                int b = Math.Min(bins - 1, (int)(t * bins));
                sumJ[b] += o.J[i]; sumF[b] += o.F[i]; count[b]++;
            }
        var idx = Enumerable.Range(0, bins).ToArray();
        return new DataFrame(
            new DoubleDataFrameColumn("From", idx.Select(b => b / (double)bins)),
            new DoubleDataFrameColumn("To", idx.Select(b => (b + 1) / (double)bins)),
            new Int32DataFrameColumn("Frames", idx.Select(b => count[b])),
            new DoubleDataFrameColumn("J-Mean", idx.Select(b => count[b] == 0 ? double.NaN : sumJ[b] / count[b])),
            new DoubleDataFrameColumn("F-Mean", idx.Select(b => count[b] == 0 ? double.NaN : sumF[b] / count[b])));
    }
}
