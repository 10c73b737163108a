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

    /// <summary>
    /// A mask drawn over its frame: each object tinted with its palette colour at <paramref name="alpha"/>,
    /// its outline (pixels whose right or lower neighbour has another id) drawn solid.
    /// </summary>
    public static Picture Overlay(VideoFrame f, IndexedMask m, string? caption = null, int? displayWidth = null, double alpha = 0.45)
    {
        if (f.Width != m.Width || f.Height != m.Height) throw new ArgumentException($"frame {f.Width}x{f.Height} and mask {m.Width}x{m.Height} differ");
        var rgb = MaskOverlay.Blend(f.Rgb, m, alpha);
        // Outlines: a pixel whose right or lower neighbour has another id, in the colour of the object it belongs to or borders.
        for (int y = 0; y < m.Height; y++)
            for (int x = 0; x < m.Width; x++)
            {
                int i = y * m.Width + x;
                byte id = m.Ids[i];
                byte right = x + 1 < m.Width ? m.Ids[i + 1] : id, below = y + 1 < m.Height ? m.Ids[i + m.Width] : id;
                if (right == id && below == id) continue;
                var (r, g, b) = DavisPalette.Color(id != 0 ? id : right != 0 ? right : below);
                rgb[3 * i] = r; rgb[3 * i + 1] = g; rgb[3 * i + 2] = b;
            }
        return new Picture(f.Width, f.Height, rgb, caption) { DisplayWidth = displayWidth };
    }

    /// <summary>Pictures side by side with a title.</summary>
    public static PictureRow Row(string? title, params Picture[] pictures) => new(pictures, title);
}
