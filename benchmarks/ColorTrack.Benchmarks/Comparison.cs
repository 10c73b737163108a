namespace ColorTrack.Benchmarks;

/// <summary>Pairs of values (ours, the reference) compared at a tolerance: counts, the worst difference and where, the first disagreements.</summary>
internal sealed class Comparison(double tolerance)
{
    int count, missing;
    double worst;
    string worstAt = "";
    readonly List<string> bad = [];

    public void Add(string what, double ours, double reference, bool present)
    {
        if (!present) { Missing($"{what}: not in ours"); return; }
        count++;
        double d = double.IsNaN(ours) && double.IsNaN(reference) ? 0 : Math.Abs(ours - reference);
        if (double.IsNaN(d)) d = double.PositiveInfinity;
        if (d > worst) { worst = d; worstAt = what; }
        if (d > tolerance) bad.Add(FormattableString.Invariant($"{what}: ours {ours:R}, reference {reference:R}"));
    }

    public void Missing(string what) { missing++; bad.Add(what); }

    public bool Report(string against, string identical)
    {
        bool ok = bad.Count == 0 && count > 0;
        Console.WriteLine(FormattableString.Invariant($"  {against}: {count} values compared, largest |difference| {worst:G3}{(worst > 0 ? $" ({worstAt})" : "")}") +
            (ok ? $" - {identical}" : count == 0 ? " - NOTHING COMPARED" : $" - {bad.Count} DISAGREE{(missing > 0 ? $" ({missing} missing)" : "")}"));
        foreach (var b in bad.Take(10)) Console.WriteLine($"    {b}");
        if (bad.Count > 10) Console.WriteLine($"    ... and {bad.Count - 10} more");
        return ok;
    }
}
