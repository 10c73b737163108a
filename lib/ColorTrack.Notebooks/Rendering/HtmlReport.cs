using System.Net;
using System.Text;
using ColorTrack.Notebooks.Formatting;
using ColorTrack.Runtime;
using Markdig;
using Microsoft.Data.Analysis;
using Plotly.NET;

namespace ColorTrack.Notebooks.Rendering;

/// <summary>
/// A self-contained HTML report (the demo's output): headings, prose (Markdown), tables, Plotly
/// charts and pictures, with plotly.js inlined once — it opens offline, anywhere, as one file.
/// </summary>
public sealed class HtmlReport(string title)
{
    readonly StringBuilder _body = new();
    static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public HtmlReport Heading(string text, int level = 2)
    {
        _body.Append($"<h{level}>{WebUtility.HtmlEncode(text)}</h{level}>\n");
        return this;
    }

    public HtmlReport Prose(string markdown)
    {
        _body.Append(Markdig.Markdown.ToHtml(markdown, Markdown)).Append('\n');
        return this;
    }

    public HtmlReport Chart(GenericChart chart)
    {
        _body.Append("<div class=\"output\">").Append(ChartHtml.Render(chart)).Append("</div>\n");
        return this;
    }

    public HtmlReport Pictures(PictureRow row)
    {
        _body.Append(row.ToHtml()).Append('\n');
        return this;
    }

    public HtmlReport Table(DataFrame table, int maxRows = 100)
    {
        _body.Append(DataFrameHtml.Render(table, maxRows)).Append('\n');
        return this;
    }

    public HtmlReport Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var sb = new StringBuilder("<table class=\"colortrack-table\"><thead><tr>");
        foreach (var h in header) sb.Append($"<th>{WebUtility.HtmlEncode(h)}</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var r in rows) sb.Append("<tr>").Append(string.Concat(r.Select(c => $"<td>{WebUtility.HtmlEncode(c)}</td>"))).Append("</tr>");
        _body.Append(sb).Append("</tbody></table>\n");
        return this;
    }

    public HtmlReport Preformatted(string text)
    {
        _body.Append($"<pre>{WebUtility.HtmlEncode(text)}</pre>\n");
        return this;
    }

    public string ToHtml() => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"/>
        <title>{{WebUtility.HtmlEncode(title)}}</title>
        <style>
          body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
          table.colortrack-table { border-collapse: collapse; font-family: monospace; margin: 0.5em 0 1.5em 0; }
          table.colortrack-table th { border-bottom: 1px solid #999; padding: 2px 10px; }
          table.colortrack-table td { padding: 2px 10px; text-align: right; }
          pre { background: #f6f8fa; padding: 8px; overflow-x: auto; }
        </style>
        <script type="text/javascript">{{ChartHtml.PlotlyJs}}</script>
        </head><body>
        <h1>{{WebUtility.HtmlEncode(title)}}</h1>
        {{_body}}
        </body></html>
        """;

    /// <summary>Write atomically (a reader never sees half a report).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToHtml());
}
