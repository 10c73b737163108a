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
    /// Mean J over normalised time in the video (Figure 5), per tracker, from
    /// <see cref="DavisBreakdowns.OverNormalisedTime"/>. A tracker that degrades slowly keeps its
    /// curve up at the right.
    /// </summary>
    public static GenericChart JOverTime(IReadOnlyDictionary<string, DavisEvaluation> byTracker, int bins = 10)
    {
        var charts = new List<GenericChart>();
        foreach (var (name, eval) in byTracker)
        {
            var t = DavisBreakdowns.OverNormalisedTime(eval, bins);
            var rows = Enumerable.Range(0, (int)t.Rows.Count).Where(r => (int)t["Frames"][r] > 0).ToArray();
            var x = rows.Select(r => ((double)t["From"][r] + (double)t["To"][r]) / 2).ToArray();
            var y = rows.Select(r => (double)t["J-Mean"][r]).ToArray();
            charts.Add(Plotly.NET.CSharp.Chart.Line<double, double, string>(x: x, y: y, Name: name, ShowMarkers: true));
        }
        return Plotly.NET.CSharp.Chart.Combine(charts)
            .Titled("Region similarity J over time in the video", "normalised time (0 = first frame, 1 = last)", "mean J");
    }

    /// <summary>J&amp;F-Mean by DAVIS attribute (Figure 6), one bar group per tracker.</summary>
    public static GenericChart ByAttribute(IReadOnlyDictionary<string, DataFrame> byTracker) =>
        Plotly.NET.CSharp.Chart.Combine(byTracker.Select(kv =>
            Plotly.NET.CSharp.Chart.Column<double, string, string>(
                values: Enumerable.Range(0, (int)kv.Value.Rows.Count).Select(r => (double)kv.Value["J&F-Mean"][r]).ToArray(),
                Keys: Enumerable.Range(0, (int)kv.Value.Rows.Count).Select(r => (string)kv.Value["Attribute"][r]).ToArray(),
                Name: kv.Key)))
            .Titled("J&F-Mean by video attribute", "DAVIS attribute", "J&F-Mean");

    /// <summary>J&amp;F-Mean per tracker as bars.</summary>
    public static GenericChart JAndFBars(IReadOnlyDictionary<string, DavisEvaluation> byTracker) =>
        Plotly.NET.CSharp.Chart.Column<double, string, string>(values: byTracker.Values.Select(e => e.JAndFMean).ToArray(), Keys: byTracker.Keys.ToArray())
            .Titled("J&F-Mean by tracker", "tracker", "J&F-Mean");
}
