using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ColorTrack.Notebooks.Formatting;

/// <summary>
/// How a <see cref="Picture"/> is embedded in a shared page. A page inlines every picture as base64,
/// so full-size PNGs of video frames made pages tens of MB. Photos are therefore downsampled to the
/// width they are shown at and stored as JPEG; pictures whose pixels matter one by one (tiny ones,
/// masks with a handful of palette colours, feature maps the page enlarges 2x or more) stay PNG.
/// </summary>
public static class PictureEncoding
{
    /// <summary>Widest embedded picture when no display width is given (the page is 1100 px wide).</summary>
    public const int DefaultMaxWidth = 900;

    public const int JpegQuality = 85;

    /// <summary>Pictures with both sides at most this are pixel art: PNG, never resampled.</summary>
    public const int TinySide = 64;

    /// <summary>At most this many distinct colours (a mask, a quantized map) means PNG: JPEG would smear the edges.</summary>
    public const int FewColours = 64;

    /// <summary>Shown at least this many times its width, a picture is pixel art: PNG.</summary>
    public const int PixelArtZoom = 2;

    public sealed record Encoded(string MimeType, byte[] Bytes, int Width, int Height);

    public static Encoded Encode(Picture p)
    {
        using var img = Image.LoadPixelData<Rgb24>(p.Rgb, p.Width, p.Height);
        if (p.Width <= TinySide && p.Height <= TinySide) return Png(img);

        int target = Math.Min(p.Width, p.DisplayWidth ?? DefaultMaxWidth);
        bool fewColours = HasFewColours(p.Rgb);
        // Shown at twice its size or more, it is pixel art (a feature map): JPEG blocks would be enlarged too.
        // Mildly enlarged frames (128 px shown at 180) are photos and stay JPEG: a page holds dozens.
        bool enlarged = p.DisplayWidth is int dw && dw >= PixelArtZoom * p.Width;
        if (target < p.Width && target > 0)
        {
            int height = Math.Max(1, (int)Math.Round(p.Height * (double)target / p.Width));
            // Nearest neighbour keeps a mask's palette exact; photos get a proper filter.
            img.Mutate(x => x.Resize(target, height, fewColours ? KnownResamplers.NearestNeighbor : KnownResamplers.Bicubic));
        }
        if (fewColours || enlarged) return Png(img);

        var jpeg = Jpeg(img);
        // Flat synthetic pictures can compress better as PNG; then PNG is smaller and lossless too.
        var png = Png(img);
        return jpeg.Bytes.Length <= png.Bytes.Length ? jpeg : png;
    }

    /// <summary>True when the picture has at most <see cref="FewColours"/> distinct colours (stops counting early).</summary>
    public static bool HasFewColours(byte[] rgb)
    {
        var seen = new HashSet<int>();
        for (int i = 0; i + 2 < rgb.Length; i += 3)
            if (seen.Add(rgb[i] << 16 | rgb[i + 1] << 8 | rgb[i + 2]) && seen.Count > FewColours)
                return false;
        return true;
    }

    static Encoded Png(Image<Rgb24> img)
    {
        using var ms = new MemoryStream();
        img.SaveAsPng(ms);
        return new Encoded("image/png", ms.ToArray(), img.Width, img.Height);
    }

    static Encoded Jpeg(Image<Rgb24> img)
    {
        using var ms = new MemoryStream();
        img.SaveAsJpeg(ms, new JpegEncoder { Quality = JpegQuality });
        return new Encoded("image/jpeg", ms.ToArray(), img.Width, img.Height);
    }
}
