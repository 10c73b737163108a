using System.Text.RegularExpressions;

namespace ColorTrack.Notebooks.Rendering;

/// <summary>
/// Counts the figures in a rendered page: Plotly charts (div.colortrack-plot) and inline pictures
/// (img with a data: PNG or JPEG, see Formatting/PictureEncoding). Used to list what each notebook
/// produced and to check none is empty.
/// </summary>
public static partial class FigureCensus
{
    /// <summary>Charts drawn, inline pictures (PNG and JPEG together) and the pictures' captions.</summary>
    public sealed record Census(int Charts, int Pictures, IReadOnlyList<string> Captions)
    {
        /// <summary>How many of <see cref="Pictures"/> are JPEG (downsampled photos).</summary>
        public int Jpegs { get; init; }
    }

    public static Census Of(string html)
    {
        int charts = ChartDiv().Matches(html).Count;
        var pictures = PictureImg().Matches(html);
        var captions = Caption().Matches(html).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        return new Census(charts, pictures.Count, captions) { Jpegs = pictures.Count(m => m.Groups[1].Value == "jpeg") };
    }

    [GeneratedRegex("class=\"colortrack-plot\"")]
    private static partial Regex ChartDiv();

    [GeneratedRegex("<img[^>]+src=\"data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=]{64,}")]
    private static partial Regex PictureImg();

    [GeneratedRegex("<figcaption>(.*?)</figcaption>")]
    private static partial Regex Caption();
}
