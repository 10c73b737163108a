using ColorTrack.Evaluation;
using Microsoft.Data.Analysis;
using Plotly.NET;

namespace ColorTrack.Analysis;

/// <summary>Comparisons of trackers (Table 1, Figure 5): summary tables and J over time.</summary>
public static class TrackingCharts
{
    /// <summary>One row per tracker, the official columns (J&amp;F-Mean, J-Mean, J-Recall, J-Decay, F-Mean, F-Recall, F-Decay).</summary>
    public static DataFrame Summary(IReadOnlyDictionary<string, DavisEvaluation> byTracker)
    {
        var columns = new List<DataFrameColumn> { new StringDataFrameColumn("Tracker", byTracker.Keys) };
        for (int c = 0; c < DavisEvaluation.Columns.Length; c++)
            columns.Add(new DoubleDataFrameColumn(DavisEvaluation.Columns[c], byTracker.Values.Select(e => e.SummaryValues()[c])));
        return new DataFrame(columns);
    }

    /// <summary>
    /// Mean J over normalised time in the video (Figure 5): each object's scored frames are placed at
    /// t in [0, 1] and averaged in <paramref name="bins"/> equal bins, per tracker. A tracker that
    /// degrades slowly keeps its curve up at the right.
    /// </summary>
    public static GenericChart JOverTime(IReadOnlyDictionary<string, DavisEvaluation> byTracker, int bins = 10)
    {
        var charts = new List<GenericChart>();
        foreach (var (name, eval) in byTracker)
        {
            var sum = new double[bins]; var count = new int[bins];
            foreach (var o in eval.Objects)
            {
                int n = o.J.Length;
                for (int i = 0; i < n; i++)
                {
                    int b = Math.Min(bins - 1, (int)(bins * (n == 1 ? 0 : (double)i / (n - 1))));
                    sum[b] += o.J[i]; count[b]++;
                }
            }
            var x = Enumerable.Range(0, bins).Where(b => count[b] > 0).Select(b => (b + 0.5) / bins).ToArray();
            var y = Enumerable.Range(0, bins).Where(b => count[b] > 0).Select(b => sum[b] / count[b]).ToArray();
            charts.Add(Plotly.NET.CSharp.Chart.Line<double, double, string>(x: x, y: y, Name: name, ShowMarkers: true));
        }
        return Plotly.NET.CSharp.Chart.Combine(charts)
            .Titled("Region similarity J over time in the video", "normalised time (0 = first frame, 1 = last)", "mean J");
    }

    /// <summary>J&amp;F-Mean per tracker as bars.</summary>
    public static GenericChart JAndFBars(IReadOnlyDictionary<string, DavisEvaluation> byTracker) =>
        Plotly.NET.CSharp.Chart.Column<double, string, string>(values: byTracker.Values.Select(e => e.JAndFMean).ToArray(), Keys: byTracker.Keys.ToArray())
            .Titled("J&F-Mean by tracker", "tracker", "J&F-Mean");
}
