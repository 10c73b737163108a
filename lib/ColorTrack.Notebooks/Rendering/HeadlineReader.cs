using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ColorTrack.Notebooks.Formatting;

namespace ColorTrack.Notebooks.Rendering;

/// <summary>
/// Reads back the <see cref="Headline"/>s a page or an executed notebook shows. An executed .ipynb
/// stores HTML outputs as JSON strings (with &lt; escaped), so it is parsed and its text/html outputs
/// searched; anything else is searched as HTML. Code that merely mentions a headline is HTML-encoded
/// in a page and so never matches.
/// </summary>
public static partial class HeadlineReader
{
    public static IReadOnlyList<Headline> ReadAll(string executedIpynbJsonOrHtml)
    {
        var found = new List<Headline>();
        foreach (var html in HtmlParts(executedIpynbJsonOrHtml))
            foreach (Match m in HeadlineDiv().Matches(html))
            {
                var value = double.Parse(WebUtility.HtmlDecode(m.Groups["value"].Value), NumberStyles.Float, CultureInfo.InvariantCulture);
                found.Add(new Headline(WebUtility.HtmlDecode(m.Groups["name"].Value), value, WebUtility.HtmlDecode(m.Groups["text"].Value)));
            }
        return found;
    }

    static IEnumerable<string> HtmlParts(string text)
    {
        if (!text.TrimStart().StartsWith('{')) return [text];
        JsonNode? root;
        try { root = JsonNode.Parse(text); }
        catch (JsonException) { return [text]; }
        var cells = root?["cells"]?.AsArray();
        if (cells is null) return [text];
        return cells.SelectMany(c => c?["outputs"]?.AsArray() ?? [])
                    .Select(o => o?["data"]?["text/html"])
                    .Where(h => h is not null)
                    .Select(h => h is JsonArray a ? string.Concat(a.Select(x => (string?)x ?? "")) : (string?)h ?? "");
    }

    [GeneratedRegex("""<div class="colortrack-headline" data-name="(?<name>[^"]*)" data-value="(?<value>[^"]*)"[^>]*>(?<text>.*?)</div>""", RegexOptions.Singleline)]
    private static partial Regex HeadlineDiv();
}
