namespace ColorTrack.Evaluation;

/// <summary>
/// The per-object summary of a per-frame measure, as the official <c>db_statistics</c> computes it:
/// Mean (NaN-ignoring mean), Recall (fraction of frames above 0.5) and Decay (mean of the first
/// quarter of the frames minus mean of the last quarter).
/// </summary>
public sealed record MetricStatistics(double Mean, double Recall, double Decay)
{
    public static MetricStatistics Of(IReadOnlyList<double> perFrame)
    {
        var v = perFrame;
        double mean = NanMean(v, 0, v.Count - 1);
        double recall = v.Count == 0 ? double.NaN : v.Count(x => x > 0.5) / (double)v.Count; // NaN > 0.5 is false, as in numpy

        // Official binning: ids = round(linspace(1, n, 5) + 1e-10) - 1, bins are the inclusive,
        // overlapping slices v[ids[i] .. ids[i+1]]; the 1e-10 makes halves round up.
        var ids = DecayBinEdges(v.Count);
        double decay = NanMean(v, ids[0], ids[1]) - NanMean(v, ids[3], ids[4]);
        return new MetricStatistics(mean, recall, decay);
    }

    /// <summary>The five edges of the official decay bins for n frames (zero-based, inclusive ends).</summary>
    public static int[] DecayBinEdges(int n)
    {
        var ids = new int[5];
        double step = (n - 1) / 4.0;
        for (int k = 0; k < 5; k++)
        {
            double x = k == 4 ? n : k * step + 1; // numpy's linspace pins the last point to stop
            ids[k] = (int)Math.Round(x + 1e-10, MidpointRounding.ToEven) - 1;
        }
        return ids;
    }

    static double NanMean(IReadOnlyList<double> v, int from, int to)
    {
        double sum = 0;
        int count = 0;
        for (int i = Math.Max(0, from); i <= Math.Min(to, v.Count - 1); i++)
            if (!double.IsNaN(v[i])) { sum += v[i]; count++; }
        return count == 0 ? double.NaN : sum / count;
    }
}
