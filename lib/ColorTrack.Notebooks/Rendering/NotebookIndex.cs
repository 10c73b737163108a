using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ColorTrack.Runtime;
using Markdig;

namespace ColorTrack.Notebooks.Rendering;

/// <summary>
/// The contents page (index.html) of a folder of rendered notebooks: one row per page with a link,
/// the one-sentence summary from the notebook's "**What this shows:**" paragraph, its headline
/// number, the page's size and the notebook's run time. Built from the folder's executed .ipynb and
/// .html pairs, so a partial re-render (--only) still lists every page.
/// </summary>
public static partial class NotebookIndex
{
    public const string FileName = "index.html";

    /// <summary>One listed page; RunTime is null when the executed notebook does not record it.</summary>
    public sealed record Page(string Name, string HtmlFile, string Summary, string Headline, long Bytes, TimeSpan? RunTime, bool Succeeded);

    /// <summary>Describes a rendered page from its executed notebook and its HTML.</summary>
    public static Page Describe(string executedIpynbPath, string htmlPath)
    {
        var ipynb = JsonNode.Parse(File.ReadAllText(executedIpynbPath));
        var run = ipynb?["metadata"]?[NotebookRunner.RunMetadataKey];
        TimeSpan? runTime = run?["elapsed_seconds"] is { } s ? TimeSpan.FromSeconds((double)s) : null;
        bool succeeded = run?["succeeded"] is { } ok ? (bool)ok : !NotebookRunner.ErrorsIn(ipynb!.ToJsonString()).Any();
        var headline = HeadlineReader.ReadAll(File.ReadAllText(htmlPath)).FirstOrDefault()?.Text ?? "—";
        return new Page(Path.GetFileNameWithoutExtension(htmlPath), Path.GetFileName(htmlPath), Summary(ipynb), headline,
                        new FileInfo(htmlPath).Length, runTime, succeeded);
    }

    /// <summary>Every page in a folder that has its executed notebook beside it, by file name.</summary>
    public static IReadOnlyList<Page> Scan(string folder) =>
        Directory.GetFiles(folder, "*.html")
            .Where(h => !Path.GetFileName(h).Equals(FileName, StringComparison.OrdinalIgnoreCase))
            .Where(h => File.Exists(Path.ChangeExtension(h, ".ipynb")))
            .Order(StringComparer.Ordinal)
            .Select(h => Describe(Path.ChangeExtension(h, ".ipynb"), h))
            .ToList();

    /// <summary>Scans the folder and writes its index.html atomically; returns the pages listed.</summary>
    public static IReadOnlyList<Page> Write(string folder, string title = "ColorTrack notebooks")
    {
        var pages = Scan(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), Render(pages, title));
        return pages;
    }

    /// <summary>
    /// The first sentence after "**What this shows:**" (or "**What this shows** (...):") in the first
    /// markdown cell, as plain text; "" when the notebook has no such paragraph.
    /// </summary>
    public static string Summary(JsonNode? ipynb)
    {
        var first = ipynb?["cells"]?.AsArray().FirstOrDefault(c => (string?)c?["cell_type"] == "markdown");
        var source = first?["source"] switch
        {
            null => "",
            JsonArray a => string.Concat(a.Select(x => (string?)x ?? "")),
            var n => (string?)n ?? "",
        };
        var m = WhatThisShows().Match(source);
        if (!m.Success) return "";
        var paragraph = Regex.Split(source[(m.Index + m.Length)..], @"\n\s*\n")[0];
        var plain = Whitespace().Replace(Markdig.Markdown.ToPlainText(paragraph), " ").Trim();
        var sentence = SentenceEnd().Match(plain) is { Success: true } end ? plain[..(end.Index + 1)] : plain;
        return sentence.Length == 0 ? "" : char.ToUpperInvariant(sentence[0]) + sentence[1..];
    }

    public static string Render(IReadOnlyList<Page> pages, string title)
    {
        var rows = new StringBuilder();
        foreach (var p in pages)
        {
            var status = p.Succeeded ? "" : " <span class=\"failed\">(failed)</span>";
            var time = p.RunTime is { } t ? t.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture) + " s" : "—";
            rows.Append($"<tr><td><a href=\"{WebUtility.HtmlEncode(Uri.EscapeDataString(p.HtmlFile))}\">{WebUtility.HtmlEncode(p.Name)}</a>{status}" +
                        $"<div class=\"summary\">{WebUtility.HtmlEncode(p.Summary)}</div></td>" +
                        $"<td class=\"headline\">{WebUtility.HtmlEncode(p.Headline)}</td>" +
                        $"<td class=\"num\">{Megabytes(p.Bytes)}</td><td class=\"num\">{time}</td></tr>\n");
        }
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"/>
            <title>{{WebUtility.HtmlEncode(title)}}</title>
            <style>
              body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
              table { border-collapse: collapse; width: 100%; }
              th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid #ddd; }
              td.num { text-align: right; white-space: nowrap; }
              td.headline { font-weight: 600; color: #1b4d2a; }
              .summary { color: #555; font-size: 0.92em; margin-top: 2px; }
              .failed { color: #b00; }
            </style>
            </head><body>
            <h1>{{WebUtility.HtmlEncode(title)}}</h1>
            <table><thead><tr><th>notebook</th><th>headline</th><th>size</th><th>run time</th></tr></thead><tbody>
            {{rows}}</tbody></table>
            </body></html>
            """;
    }

    /// <summary>A size as "1.23 MB" (10^6 bytes), the unit the 5 MB page budget is stated in.</summary>
    public static string Megabytes(long bytes) => (bytes / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " MB";

    [GeneratedRegex(@"\*\*What this shows(?::\*\*|\*\*\s*\([^)]*\)\s*:)\s*")]
    private static partial Regex WhatThisShows();

    // A sentence ends at . ! or ? followed by a space and a capital (so "e.g. the" does not end it), or at the end.
    [GeneratedRegex(@"[.!?](?=\s+[A-Z""(]|\s*$)")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
