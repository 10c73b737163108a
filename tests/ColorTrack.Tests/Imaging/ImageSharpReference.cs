using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ColorTrack.Tests.Imaging;

/// <summary>
/// What ImageSharp decodes from a PNG, in the decoder's layout (8 bits per channel, high byte of 16):
/// the independent reference the fast decoder is checked against. Palette images come back as the
/// PLTE colour of each pixel.
/// </summary>
public static class ImageSharpReference
{
    public static byte[] Samples(byte[] png, int colorType)
    {
        switch (colorType)
        {
            case 0:
            {
                using var im = Image.Load<L16>(png);
                var px = new L16[im.Width * im.Height]; im.CopyPixelDataTo(px);
                return px.Select(p => (byte)(p.PackedValue >> 8)).ToArray();
            }
            case 4:
            {
                using var im = Image.Load<La32>(png);
                var px = new La32[im.Width * im.Height]; im.CopyPixelDataTo(px);
                return px.SelectMany(p => new[] { (byte)(p.L >> 8), (byte)(p.A >> 8) }).ToArray();
            }
            case 2:
            {
                using var im = Image.Load<Rgb48>(png);
                var px = new Rgb48[im.Width * im.Height]; im.CopyPixelDataTo(px);
                return px.SelectMany(p => new[] { (byte)(p.R >> 8), (byte)(p.G >> 8), (byte)(p.B >> 8) }).ToArray();
            }
            default:
            {
                using var im = Image.Load<Rgba64>(png);
                var px = new Rgba64[im.Width * im.Height]; im.CopyPixelDataTo(px);
                return colorType == 3
                    ? px.SelectMany(p => new[] { (byte)(p.R >> 8), (byte)(p.G >> 8), (byte)(p.B >> 8) }).ToArray()
                    : px.SelectMany(p => new[] { (byte)(p.R >> 8), (byte)(p.G >> 8), (byte)(p.B >> 8), (byte)(p.A >> 8) }).ToArray();
            }
        }
    }

    /// <summary>Palette indices -> PLTE colours (RGB triplets), to compare with <see cref="Samples"/>.</summary>
    public static byte[] PaletteColours(byte[] indices, byte[] plte) =>
        indices.SelectMany(i => new[] { plte[3 * i], plte[3 * i + 1], plte[3 * i + 2] }).ToArray();

    public static byte[] Plte(byte[] png)
    {
        for (int pos = 8; pos + 8 <= png.Length;)
        {
            int len = (png[pos] << 24) | (png[pos + 1] << 16) | (png[pos + 2] << 8) | png[pos + 3];
            if (png[pos + 4] == 'P' && png[pos + 5] == 'L' && png[pos + 6] == 'T' && png[pos + 7] == 'E') return png.AsSpan(pos + 8, len).ToArray();
            pos += 12 + len;
        }
        throw new InvalidDataException("no PLTE");
    }

    public static int ColorType(byte[] png) => png[25];
}
