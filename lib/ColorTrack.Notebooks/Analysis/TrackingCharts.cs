using ColorTrack.Evaluation;
using Microsoft.Data.Analysis;
using Plotly.NET;

namespace ColorTrack.Analysis;

/// <summary>Comparisons of trackers (Table 1, Figure 5): summary tables and J over time.</summary>
public static class TrackingCharts
{
    /// <summary>
    /// One row per tracker, the official columns (J&amp;F-Mean, J-Mean, J-Recall, J-Decay, F-Mean,
    /// F-Recall, F-Decay); with <paramref name="interval"/>, after J&amp;F-Mean its 95 % bootstrap
    /// interval over sequences (<see cref="Bootstrap.JAndF"/>; blank with fewer than two sequences).
    /// </summary>
    public static DataFrame Summary(IReadOnlyDictionary<string, DavisEvaluation> byTracker, bool interval = false)
    {
        var columns = new List<DataFrameColumn> { new StringDataFrameColumn("Tracker", byTracker.Keys) };
        for (int c = 0; c < DavisEvaluation.Columns.Length; c++)
        {
            columns.Add(new DoubleDataFrameColumn(DavisEvaluation.Columns[c], byTracker.Values.Select(e => e.SummaryValues()[c])));
            if (c == 0 && interval)
                columns.Add(new StringDataFrameColumn("J&F 95% interval", byTracker.Values.Select(e => Bootstrap.JAndF(e) is var (lo, hi) && !double.IsNaN(lo)
                    ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{lo:F3} – {hi:F3}") : "")));
        }
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

    /// <summary>What DAVIS's attribute abbreviations stand for (Perazzi et al. 2016, Table 1).</summary>
    public static readonly IReadOnlyDictionary<string, string> AttributeNames = new Dictionary<string, string>
    {
        ["AC"] = "appearance change", ["BC"] = "background clutter", ["CS"] = "camera shake", ["DB"] = "dynamic background",
        ["DEF"] = "deformation", ["EA"] = "edge ambiguity", ["FM"] = "fast motion", ["HO"] = "heterogeneous object",
        ["IO"] = "interacting objects", ["LR"] = "low resolution", ["MB"] = "motion blur", ["OCC"] = "occlusion",
        ["OV"] = "out of view", ["ROT"] = "rotation", ["SC"] = "shape complexity", ["SV"] = "scale variation",
    };

    /// <summary>
    /// J&amp;F-Mean by DAVIS attribute (Figure 6), one bar group per tracker; each attribute labelled
    /// with its meaning and how many sequences have it. As in the paper, the attributes are sorted by
    /// the relative gain of <paramref name="ours"/> over <paramref name="reference"/> (optical flow):
    /// leftmost is where ours helps most.
    /// </summary>
    public static GenericChart ByAttribute(IReadOnlyDictionary<string, DataFrame> byTracker, string ours, string reference)
    {
        Dictionary<string, (double JF, int Sequences)> Rows(DataFrame t) => Enumerable.Range(0, (int)t.Rows.Count)
            .ToDictionary(r => (string)t["Attribute"][r], r => ((double)t["J&F-Mean"][r], (int)t["Sequences"][r]));
        var table = byTracker.ToDictionary(kv => kv.Key, kv => Rows(kv.Value));
        var attributes = table.Values.SelectMany(r => r.Keys).Distinct().ToList();
        double Gain(string a) => table.TryGetValue(ours, out var o) && table.TryGetValue(reference, out var f) && o.TryGetValue(a, out var x) && f.TryGetValue(a, out var y)
            ? (x.JF - y.JF) / Math.Max(1e-6, y.JF) : double.NegativeInfinity;
        attributes = attributes.OrderByDescending(Gain).ThenBy(a => a).ToList();
        string Label(string a)
        {
            int n = table.Values.Select(r => r.TryGetValue(a, out var v) ? v.Sequences : 0).Max();
            return $"{a}: {(AttributeNames.TryGetValue(a, out var name) ? name : a)} ({n} seq.)";
        }
        var labels = attributes.Select(Label).ToArray();
        return Plotly.NET.CSharp.Chart.Combine(table.Select(kv =>
                Plotly.NET.CSharp.Chart.Column<double, string, string>(
                    values: attributes.Select(a => kv.Value.TryGetValue(a, out var v) ? v.JF : double.NaN).ToArray(),
                    Keys: labels, Name: kv.Key)))
            .Titled($"J&F-Mean by video attribute, sorted by the gain of {ours} over {reference}", "DAVIS attribute", "J&F-Mean");
    }

    /// <summary>J&amp;F-Mean per tracker as bars.</summary>
    public static GenericChart JAndFBars(IReadOnlyDictionary<string, DavisEvaluation> byTracker) =>
        Plotly.NET.CSharp.Chart.Column<double, string, string>(values: byTracker.Values.Select(e => e.JAndFMean).ToArray(), Keys: byTracker.Keys.ToArray())
            .Titled("J&F-Mean by tracker", "tracker", "J&F-Mean");
}
