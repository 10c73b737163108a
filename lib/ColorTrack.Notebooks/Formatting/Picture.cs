using System.Net;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ColorTrack.Notebooks.Formatting;

/// <summary>
/// An RGB picture to show in a notebook (a frame, a mask overlay, a PCA map of embeddings), with a
/// caption. Embedded inline (see <see cref="PictureEncoding"/>: a downsampled JPEG for photos, a PNG
/// for tiny or few-colour pictures), so the rendered HTML needs no files beside it.
/// </summary>
/// <param name="Rgb">Interleaved RGB24, row-major, Width * Height * 3 bytes.</param>
public sealed record Picture(int Width, int Height, byte[] Rgb, string? Caption = null)
{
    /// <summary>Display width in CSS pixels (null = natural size, capped by the page).</summary>
    public int? DisplayWidth { get; init; }

    /// <summary>The full-size, lossless PNG (what a reader saving the picture for analysis wants).</summary>
    public string ToPngBase64()
    {
        CheckSize();
        using var img = Image.LoadPixelData<Rgb24>(Rgb, Width, Height);
        using var ms = new MemoryStream();
        img.SaveAsPng(ms);
        return Convert.ToBase64String(ms.ToArray());
    }

    /// <summary>The picture as it is embedded in a page: a data: URI (JPEG or PNG) sized for display.</summary>
    public string ToDataUri()
    {
        CheckSize();
        var e = PictureEncoding.Encode(this);
        return $"data:{e.MimeType};base64,{Convert.ToBase64String(e.Bytes)}";
    }

    public string ToHtml()
    {
        var width = DisplayWidth is int w ? $" width=\"{w}\"" : "";
        var caption = Caption is null ? "" : $"<figcaption>{WebUtility.HtmlEncode(Caption)}</figcaption>";
        var uri = ToDataUri();
        // Pixel art and masks stay sharp when the browser enlarges them; a downsampled photo is smoothed.
        var rendering = uri.StartsWith("data:image/png", StringComparison.Ordinal) ? "image-rendering:pixelated" : "image-rendering:auto";
        return $"<figure class=\"colortrack-picture\" style=\"display:inline-block;margin:4px;text-align:center\">" +
               $"<img class=\"colortrack-img\" alt=\"{WebUtility.HtmlEncode(Caption ?? "picture")}\"{width} style=\"max-width:100%;{rendering}\" " +
               $"src=\"{uri}\"/>{caption}</figure>";
    }

    void CheckSize()
    {
        if (Rgb.Length != Width * Height * 3)
            throw new ArgumentException($"picture is {Width}x{Height} but has {Rgb.Length} bytes (expected {Width * Height * 3})");
    }
}
