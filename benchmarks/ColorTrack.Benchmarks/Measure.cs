using System.Diagnostics;

namespace ColorTrack.Benchmarks;

/// <summary>Timing helpers: warm up, repeat, report the median (robust to a noisy neighbour).</summary>
public static class Measure
{
    /// <summary>Seconds of each of <paramref name="repeats"/> timed runs after <paramref name="warmup"/> untimed ones.</summary>
    public static double[] Seconds(Action body, int repeats = 5, int warmup = 1)
    {
        for (int i = 0; i < warmup; i++) body();
        var t = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            body();
            t[i] = sw.Elapsed.TotalSeconds;
        }
        return t;
    }

    public static double Median(IReadOnlyList<double> xs)
    {
        var s = xs.OrderBy(x => x).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }

    /// <summary>Peak resident set size of this process so far, in MiB (Linux VmHWM).</summary>
    public static double PeakRssMiB()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        }
        catch { }
        return double.NaN;
    }

    /// <summary>The 1, 5 and 15-minute load averages (how busy the machine was while measuring).</summary>
    public static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); } catch { return "?"; }
    }
}
