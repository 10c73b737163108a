namespace ColorTrack.Notebooks.Formatting;

/// <summary>Several pictures side by side (e.g. truth | colorized | reference), with an optional title.</summary>
public sealed record PictureRow(IReadOnlyList<Picture> Pictures, string? Title = null)
{
    public string ToHtml()
    {
        var title = Title is null ? "" : $"<div style=\"font-weight:bold\">{System.Net.WebUtility.HtmlEncode(Title)}</div>";
        return $"<div class=\"colortrack-row\">{title}<div style=\"display:flex;flex-wrap:wrap;align-items:flex-start\">{string.Concat(Pictures.Select(p => p.ToHtml()))}</div></div>";
    }
}
