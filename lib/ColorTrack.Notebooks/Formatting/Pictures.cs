using ColorTrack.Imaging;
using ColorTrack.Video;

namespace ColorTrack.Notebooks.Formatting;

/// <summary>Turns the library's image types into notebook pictures.</summary>
public static class Pictures
{
    public static Picture Of(VideoFrame f, string? caption = null, int? displayWidth = null) =>
        new(f.Width, f.Height, f.Rgb, caption ?? $"frame {f.Index} ({f.TimeSeconds:F2} s)") { DisplayWidth = displayWidth };

    /// <summary>A mask in the DAVIS palette (0 = black background, object ids in their palette colours).</summary>
    public static Picture Of(IndexedMask m, string? caption = null, int? displayWidth = null)
    {
        var rgb = new byte[m.Width * m.Height * 3];
        for (int i = 0; i < m.Ids.Length; i++)
        {
            var (r, g, b) = DavisPalette.Color(m.Ids[i]);
            rgb[3 * i] = r; rgb[3 * i + 1] = g; rgb[3 * i + 2] = b;
        }
        return new Picture(m.Width, m.Height, rgb, caption ?? $"mask ({m.MaxId()} objects)") { DisplayWidth = displayWidth };
    }

    /// <summary>Pictures side by side with a title.</summary>
    public static PictureRow Row(string? title, params Picture[] pictures) => new(pictures, title);
}
