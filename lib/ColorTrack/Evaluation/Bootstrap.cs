namespace ColorTrack.Evaluation;

/// <summary>
/// Percentile bootstrap intervals. The units resampled are the independent ones — sequences for
/// J&amp;F (objects and frames of one video are not independent), frames for the failure table — so
/// the interval says how much a figure would move on another draw of such videos, not how precisely
/// one video's pixels were counted.
/// </summary>
public static class Bootstrap
{
    /// <summary>
    /// The central <paramref name="level"/> interval of <paramref name="statistic"/> over
    /// <paramref name="resamples"/> resamples of <paramref name="units"/> with replacement
    /// (seeded: the same inputs give the same interval). Fewer than 2 units: (NaN, NaN).
    /// </summary>
    public static (double Low, double High) Interval<T>(IReadOnlyList<T> units, Func<IReadOnlyList<T>, double> statistic,
                                                        int resamples = 2000, int seed = 0, double level = 0.95)
    {
        if (units.Count < 2) return (double.NaN, double.NaN);
        var rng = new Random(seed);
        var values = new List<double>(resamples);
        var sample = new T[units.Count];
        for (int r = 0; r < resamples; r++)
        {
            for (int i = 0; i < sample.Length; i++) sample[i] = units[rng.Next(units.Count)];
            var v = statistic(sample);
            if (!double.IsNaN(v)) values.Add(v);
        }
        if (values.Count == 0) return (double.NaN, double.NaN);
        values.Sort();
        double tail = (1 - level) / 2;
        return (Quantile(values, tail), Quantile(values, 1 - tail));
    }

    /// <summary>
    /// A J&amp;F-Mean interval over the evaluation's sequences: each resample draws whole sequences
    /// (with all their objects) and averages J&amp;F over the drawn objects, as the DAVIS mean does.
    /// </summary>
    public static (double Low, double High) JAndF(DavisEvaluation evaluation, int resamples = 2000, int seed = 0, double level = 0.95)
    {
        var bySequence = evaluation.Objects.GroupBy(o => o.Sequence).Select(g => g.ToList()).ToList();
        return Interval(bySequence, draw => new DavisEvaluation(draw.SelectMany(s => s).ToList()).JAndFMean, resamples, seed, level);
    }

    /// <summary>Linear interpolation between order statistics (numpy's default).</summary>
    static double Quantile(List<double> sorted, double q)
    {
        double pos = q * (sorted.Count - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(sorted.Count - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
