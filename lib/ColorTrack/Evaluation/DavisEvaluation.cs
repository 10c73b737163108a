using Microsoft.Data.Analysis;

namespace ColorTrack.Evaluation;

/// <summary>
/// The result of a DAVIS evaluation: one <see cref="DavisObjectResult"/> per object, and the
/// data-set figures, which (as in the official code) average the per-object statistics over all
/// objects; J&amp;F-Mean = (J-Mean + F-Mean) / 2.
/// </summary>
public sealed record DavisEvaluation(IReadOnlyList<DavisObjectResult> Objects)
{
    /// <summary>The official summary columns, in the official order.</summary>
    public static readonly string[] Columns = ["J&F-Mean", "J-Mean", "J-Recall", "J-Decay", "F-Mean", "F-Recall", "F-Decay"];

    public MetricStatistics J => Average(o => o.JStats);
    public MetricStatistics F => Average(o => o.FStats);
    public double JAndFMean => (J.Mean + F.Mean) / 2;

    MetricStatistics Average(Func<DavisObjectResult, MetricStatistics> stat) => Objects.Count == 0
        ? new MetricStatistics(double.NaN, double.NaN, double.NaN)
        : new MetricStatistics(Objects.Average(o => stat(o).Mean), Objects.Average(o => stat(o).Recall), Objects.Average(o => stat(o).Decay));

    /// <summary>The objects of the sequences that have at least two objects (the paper's section 4.3 subset).</summary>
    public DavisEvaluation MultiObjectSubset()
    {
        var multi = Objects.GroupBy(o => o.Sequence).Where(g => g.Count() >= 2).Select(g => g.Key).ToHashSet();
        return new DavisEvaluation(Objects.Where(o => multi.Contains(o.Sequence)).ToList());
    }

    /// <summary>The summary row values in <see cref="Columns"/> order.</summary>
    public double[] SummaryValues() => [JAndFMean, J.Mean, J.Recall, J.Decay, F.Mean, F.Recall, F.Decay];

    /// <summary>One row per sequence and object ("bear", 1, ...), then the "Global" row (object empty).</summary>
    public DataFrame ToDataFrame()
    {
        var rows = Objects.Select(o => (o.Sequence, (int?)o.ObjectId, Values: new[]
            { o.JAndFMean, o.JStats.Mean, o.JStats.Recall, o.JStats.Decay, o.FStats.Mean, o.FStats.Recall, o.FStats.Decay })).ToList();
        rows.Add(("Global", null, SummaryValues()));
        var columns = new List<DataFrameColumn>
        {
            new StringDataFrameColumn("Sequence", rows.Select(r => r.Sequence)),
            new Int32DataFrameColumn("Object", rows.Select(r => r.Item2)),
        };
        for (int c = 0; c < Columns.Length; c++)
            columns.Add(new DoubleDataFrameColumn(Columns[c], rows.Select(r => r.Values[c])));
        return new DataFrame(columns);
    }

    /// <summary>Every scored frame: Sequence, Object, Frame, J, F.</summary>
    public DataFrame PerFrameDataFrame()
    {
        var frames = Objects.SelectMany(o => o.Frames.Select((f, i) => (o.Sequence, o.ObjectId, Frame: f, J: o.J[i], F: o.F[i]))).ToList();
        return new DataFrame(
            new StringDataFrameColumn("Sequence", frames.Select(r => r.Sequence)),
            new Int32DataFrameColumn("Object", frames.Select(r => r.ObjectId)),
            new StringDataFrameColumn("Frame", frames.Select(r => r.Frame)),
            new DoubleDataFrameColumn("J", frames.Select(r => r.J)),
            new DoubleDataFrameColumn("F", frames.Select(r => r.F)));
    }
}
