using System.Text.RegularExpressions;

namespace ColorTrack.Notebooks.Rendering;

/// <summary>
/// Counts the figures in a rendered page: Plotly charts (div.colortrack-plot) and inline pictures
/// (img with a data: PNG). Used to list what each notebook produced and to check none is empty.
/// </summary>
public static partial class FigureCensus
{
    public sealed record Census(int Charts, int Pictures, IReadOnlyList<string> Captions);

    public static Census Of(string html)
    {
        int charts = ChartDiv().Matches(html).Count;
        int pictures = PngImg().Matches(html).Count;
        var captions = Caption().Matches(html).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        return new Census(charts, pictures, captions);
    }

    [GeneratedRegex("class=\"colortrack-plot\"")]
    private static partial Regex ChartDiv();

    [GeneratedRegex("<img[^>]+src=\"data:image/png;base64,[A-Za-z0-9+/=]{64,}")]
    private static partial Regex PngImg();

    [GeneratedRegex("<figcaption>(.*?)</figcaption>")]
    private static partial Regex Caption();
}
