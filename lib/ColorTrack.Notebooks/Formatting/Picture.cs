using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ColorTrack.Notebooks.Formatting;

/// <summary>
/// An RGB picture to show in a notebook (a frame, a mask overlay, a PCA map of embeddings), with a
/// caption. Displayed as an inline PNG, so the rendered HTML needs no files beside it.
/// </summary>
/// <param name="Rgb">Interleaved RGB24, row-major, Width * Height * 3 bytes.</param>
public sealed record Picture(int Width, int Height, byte[] Rgb, string? Caption = null)
{
    /// <summary>Display width in CSS pixels (null = natural size, capped by the page).</summary>
    public int? DisplayWidth { get; init; }

    public string ToPngBase64()
    {
        if (Rgb.Length != Width * Height * 3)
            throw new ArgumentException($"picture is {Width}x{Height} but has {Rgb.Length} bytes (expected {Width * Height * 3})");
        using var img = Image.LoadPixelData<Rgb24>(Rgb, Width, Height);
        using var ms = new MemoryStream();
        img.SaveAsPng(ms);
        return Convert.ToBase64String(ms.ToArray());
    }

    public string ToHtml()
    {
        var width = DisplayWidth is int w ? $" width=\"{w}\"" : "";
        var caption = Caption is null ? "" : $"<figcaption>{System.Net.WebUtility.HtmlEncode(Caption)}</figcaption>";
        return $"<figure class=\"colortrack-picture\" style=\"display:inline-block;margin:4px;text-align:center\">" +
               $"<img class=\"colortrack-img\" alt=\"{System.Net.WebUtility.HtmlEncode(Caption ?? "picture")}\"{width} style=\"max-width:100%;image-rendering:pixelated\" " +
               $"src=\"data:image/png;base64,{ToPngBase64()}\"/>{caption}</figure>";
    }
}
