using System.Globalization;

namespace ColorTrack.Benchmarks;

/// <summary>The results CSVs of `colortrack eval-davis` and of the official DAVIS evaluator, read for comparison.</summary>
internal static class DavisResultCsv
{
    /// <summary>Our results CSV: the Global row and one row per "seq_object" (the official per-sequence naming).</summary>
    internal sealed record OurTable(Dictionary<string, double> Global, Dictionary<string, Dictionary<string, double>> Objects);

    internal static OurTable ReadOurs(string csv)
    {
        var lines = File.ReadAllLines(csv).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        var global = new Dictionary<string, double>();
        var objects = new Dictionary<string, Dictionary<string, double>>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(','); // sequence names and numbers hold no commas
            var row = new Dictionary<string, double>();
            for (int i = 2; i < header.Length; i++) row[header[i]] = Number(cells[i]);
            if (cells[0] == "Global" && cells[1].Length == 0) global = row;
            else objects[$"{cells[0]}_{cells[1]}"] = row;
        }
        return new OurTable(global, objects);
    }

    /// <summary>Our per-frame CSV (Sequence, Object, Frame, J, F): the J and F series of each "seq_object", in file order.</summary>
    internal static Dictionary<(string Key, string Metric), List<double>> ReadOursPerFrame(string csv)
    {
        var series = new Dictionary<(string, string), List<double>>();
        if (!File.Exists(csv)) return series;
        foreach (var line in File.ReadLines(csv).Skip(1).Where(l => l.Length > 0))
        {
            var c = line.Split(',');
            var key = $"{c[0]}_{c[1]}";
            Series(series, (key, "J")).Add(Number(c[3]));
            Series(series, (key, "F")).Add(Number(c[4]));
        }
        return series;
    }

    internal static List<double> Series(Dictionary<(string, string), List<double>> d, (string, string) key)
    {
        if (!d.TryGetValue(key, out var list)) d[key] = list = [];
        return list;
    }

    /// <summary>global_results-&lt;set&gt;.csv: one header line, one line of values.</summary>
    internal static (string[] Header, double[] Values) ReadOfficialGlobal(string csv)
    {
        var lines = File.ReadAllLines(csv).Where(l => l.Length > 0).ToArray();
        return (lines[0].Split(','), lines[1].Split(',').Select(Number).ToArray());
    }

    /// <summary>per-sequence_results-&lt;set&gt;.csv: Sequence (seq_object), J-Mean, F-Mean.</summary>
    internal static Dictionary<string, (double J, double F)> ReadOfficialPerSequence(string csv)
    {
        var rows = new Dictionary<string, (double, double)>();
        foreach (var line in File.ReadLines(csv).Skip(1).Where(l => l.Length > 0))
        {
            var c = line.Split(',');
            rows[c[0]] = (Number(c[1]), Number(c[2]));
        }
        return rows;
    }

    internal static double Number(string s) => s.Length == 0 ? double.NaN : double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}
