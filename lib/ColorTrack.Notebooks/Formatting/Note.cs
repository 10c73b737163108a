using Markdig;

namespace ColorTrack.Notebooks.Formatting;

/// <summary>
/// Prose a code cell computes (Markdown, e.g. <see cref="Analysis.Verdicts"/>' reading of a result),
/// shown as text like a markdown cell, so the words after a result follow its numbers on any data.
/// </summary>
public sealed record Note(string Markdown)
{
    static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public string ToHtml() =>
        "<div class=\"colortrack-note\" style=\"border-left:4px solid #4263eb;padding:2px 12px;margin:8px 0;background:#f3f5ff\">" +
        Markdig.Markdown.ToHtml(Markdown, Pipeline) + "</div>";
}
