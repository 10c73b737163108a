using System.Globalization;
using System.Text;
using System.Text.Json;
using ColorTrack.Runtime;
using Microsoft.Data.Analysis;

namespace ColorTrack.Evaluation;

/// <summary>
/// Writes a results DataFrame as CSV (full precision, invariant culture: the numbers, not a
/// rounding of them) and as Markdown (3 decimals, as the official evaluator prints), each with its
/// provenance: the Markdown carries it as a footer, the CSV as the run's <c>.provenance.json</c>
/// (so the CSV stays a plain table any reader loads).
/// </summary>
public static class ResultsTable
{
    public static string ToCsv(DataFrame table)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(',', table.Columns.Select(c => Quote(c.Name))));
        for (long r = 0; r < table.Rows.Count; r++)
            sb.AppendLine(string.Join(',', table.Columns.Select(c => Quote(Format(c[r], full: true)))));
        return sb.ToString();
    }

    public static string ToMarkdown(DataFrame table, string? title = null, RunProvenance? provenance = null)
    {
        var sb = new StringBuilder();
        if (title != null) sb.AppendLine($"## {title}").AppendLine();
        sb.AppendLine("| " + string.Join(" | ", table.Columns.Select(c => c.Name)) + " |");
        sb.AppendLine("|" + string.Concat(table.Columns.Select(c => c is StringDataFrameColumn ? "---|" : "---:|")));
        for (long r = 0; r < table.Rows.Count; r++)
            sb.AppendLine("| " + string.Join(" | ", table.Columns.Select(c => Format(c[r], full: false).Replace("|", "\\|"))) + " |");
        if (provenance != null) sb.AppendLine().AppendLine(Footer(provenance));
        return sb.ToString();
    }

    /// <summary>One line saying what produced a table: command, options, git commit, date.</summary>
    public static string Footer(RunProvenance p) =>
        $"_Produced by `{p.Command}` on {p.Date.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC, git {p.GitCommit}{(p.GitDirty ? " (uncommitted changes)" : "")}, " +
        $"ColorTrack {p.Versions.GetValueOrDefault("ColorTrack", "?")}; options: `{OneLineJson(p.Config)}`._";

    /// <summary>The config as RunProvenance serialises it (same options, same metadata cache), on one line.</summary>
    static string OneLineJson(object? config)
    {
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(config, RunProvenance.Json));
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) doc.WriteTo(w);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// Write <c>&lt;stem&gt;.csv</c> and (unless <paramref name="markdown"/> is false, e.g. for long
    /// per-frame tables) <c>&lt;stem&gt;.md</c>, each atomically. The caller saves the provenance JSON.
    /// </summary>
    public static void Save(DataFrame table, string csvPath, RunProvenance provenance, string? title = null, bool markdown = true)
    {
        var stem = Path.ChangeExtension(csvPath, null);
        AtomicFile.WriteAllText(stem + ".csv", ToCsv(table));
        if (markdown) AtomicFile.WriteAllText(stem + ".md", ToMarkdown(table, title, provenance));
    }

    static string Format(object? v, bool full) => v switch
    {
        null => "",
        double d when double.IsNaN(d) => "NaN",
        double d => full ? d.ToString("R", CultureInfo.InvariantCulture) : d.ToString("F3", CultureInfo.InvariantCulture),
        float f => full ? f.ToString("R", CultureInfo.InvariantCulture) : f.ToString("F3", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
