using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ColorTrack.Notebooks.Formatting;
using Markdig;

namespace ColorTrack.Notebooks.Rendering;

/// <summary>
/// Turns an executed .ipynb into one self-contained HTML page for sharing: markdown rendered,
/// code shown highlighted (in an open, foldable block), outputs kept (HTML as is, images inline,
/// text in wrapping pre blocks), and plotly.js inlined once in the head, so every chart works
/// offline, with no CDN (a page without charts leaves it out).
/// </summary>
public static class NotebookHtmlRenderer
{
    static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public static string Render(string ipynbJson, string title)
    {
        var root = JsonNode.Parse(ipynbJson) ?? throw new InvalidDataException("empty notebook");
        var body = new StringBuilder();
        var fsharp = NotebookRunner.DefaultKernelName(root) == "fsharp";
        foreach (var cell in root["cells"]?.AsArray() ?? [])
        {
            if (cell is null) continue;
            var source = Join(cell["source"]);
            switch ((string?)cell["cell_type"])
            {
                case "markdown":
                    body.Append("<section class=\"md\">").Append(Markdig.Markdown.ToHtml(source, Markdown)).Append("</section>\n");
                    break;
                case "code":
                    // Open: a reader sees the code that made each figure, and can still fold it away.
                    body.Append("<details class=\"code\" open><summary>code</summary>")
                        .Append(NotebookRunner.KernelName(cell, fsharp ? "fsharp" : "csharp") == "fsharp" ? CodeHighlighter.FSharp(source) : CodeHighlighter.CSharp(source))
                        .Append("</details>\n");
                    foreach (var o in cell["outputs"]?.AsArray() ?? [])
                        if (o is not null) body.Append(RenderOutput(o));
                    break;
            }
        }
        // plotly.js (3.5 MB) only where there is a chart to draw.
        var plotly = body.ToString().Contains("class=\"colortrack-plot\"", StringComparison.Ordinal)
            ? $"<script type=\"text/javascript\">{ChartHtml.PlotlyJs}</script>" : "";
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"/>
            <title>{{WebUtility.HtmlEncode(title)}}</title>
            <style>
            {{CodeHighlighter.Css}}
              body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
              /* After ColorCode's sheet, so these win. Long lines wrap rather than being cut off or scrolled: a shared page is read, not edited. */
              pre { background: #f6f8fa; padding: 8px; white-space: pre-wrap; overflow-wrap: anywhere; }
              details.code summary { color: #888; cursor: pointer; font-size: 0.85em; }
              details.code pre { margin: 0.3em 0; font-size: 0.9em; }
              .csharp .plainText { color: inherit; } /* ColorCode's default sheet makes it white */
              .output { margin: 0.5em 0 1.5em 0; }
              .error { color: #b00; }
              footer.produced-by { color: #777; font-size: 0.85em; border-top: 1px solid #ddd; margin-top: 2em; padding-top: 0.5em; }
            </style>
            {{plotly}}
            </head><body>
            {{body}}
            {{Footer(root)}}
            </body></html>
            """;
    }

    /// <summary>Which packages produced the page and how long it ran (from the runner's metadata), so a reader can re-run it alike.</summary>
    static string Footer(JsonNode root)
    {
        var run = root["metadata"]?[NotebookRunner.RunMetadataKey];
        if (run is null) return "";
        var by = (string?)run["produced_by"];
        var seconds = run["elapsed_seconds"] is { } s ? $"; ran in {(double)s:F0} s" : "";
        return by is null ? "" : $"<footer class=\"produced-by\">Produced by {WebUtility.HtmlEncode(by)}{seconds}.</footer>\n";
    }

    static string RenderOutput(JsonNode o)
    {
        var kind = (string?)o["output_type"];
        if (kind == "error")
            return $"<pre class=\"output error\">{WebUtility.HtmlEncode((string?)o["ename"] + ": " + (string?)o["evalue"])}</pre>\n";
        if (kind == "stream")
            return $"<pre class=\"output\">{WebUtility.HtmlEncode(Join(o["text"]))}</pre>\n";
        var data = o["data"];
        if (data is null) return "";
        if (data["text/html"] is { } html) return $"<div class=\"output\">{Join(html)}</div>\n";
        if (data["image/png"] is { } png) return $"<div class=\"output\"><img class=\"colortrack-img\" src=\"data:image/png;base64,{Join(png).Trim()}\"/></div>\n";
        if (data["image/jpeg"] is { } jpeg) return $"<div class=\"output\"><img class=\"colortrack-img\" src=\"data:image/jpeg;base64,{Join(jpeg).Trim()}\"/></div>\n";
        if (data["image/svg+xml"] is { } svg) return $"<div class=\"output\">{Join(svg)}</div>\n";
        if (data["text/plain"] is { } text) return $"<pre class=\"output\">{WebUtility.HtmlEncode(Join(text))}</pre>\n";
        return "";
    }

    /// <summary>Notebook JSON stores text either as one string or as a list of lines.</summary>
    static string Join(JsonNode? n) => n switch
    {
        null => "",
        JsonArray a => string.Concat(a.Select(x => (string?)x ?? "")),
        _ => (string?)n ?? "",
    };
}
