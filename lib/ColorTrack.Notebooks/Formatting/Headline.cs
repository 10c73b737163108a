using System.Globalization;
using System.Net;
using ColorTrack.Notebooks.Rendering;

namespace ColorTrack.Notebooks.Formatting;

/// <summary>
/// A notebook's key number (e.g. "J&amp;F on the validation split"), shown as a highlighted one-line box.
/// Its HTML carries the name and the exact value as attributes, so the contents page and the tests
/// can read back the number a page claims instead of scraping prose.
/// </summary>
public sealed record Headline(string Name, double Value, string Text)
{
    public const string CssClass = "colortrack-headline";

    /// <summary>The value as written in the page: invariant culture, round-trip ("R").</summary>
    public string ValueText => Value.ToString("R", CultureInfo.InvariantCulture);

    public string ToHtml() =>
        $"<div class=\"{CssClass}\" data-name=\"{WebUtility.HtmlEncode(Name)}\" data-value=\"{ValueText}\" " +
        "style=\"display:inline-block;margin:6px 0;padding:6px 14px;border-left:5px solid #2b8a3e;background:#ebfbee;" +
        "font-size:1.15em;font-weight:600;color:#1b4d2a\">" +
        $"{WebUtility.HtmlEncode(Text)}</div>";

    /// <summary>Every headline in a rendered page or an executed notebook's outputs, in order.</summary>
    public static IReadOnlyList<Headline> ReadAll(string executedIpynbJsonOrHtml) => HeadlineReader.ReadAll(executedIpynbJsonOrHtml);
}
