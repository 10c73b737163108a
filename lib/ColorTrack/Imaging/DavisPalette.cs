namespace ColorTrack.Imaging;

/// <summary>
/// The DAVIS / PASCAL VOC label palette: index i maps to the colour whose R, G and B bits are
/// interleaved from i's bits (bit 0 -> R, bit 1 -> G, bit 2 -> B, filled from the most significant
/// bit down), so 0 = black, 1 = (128,0,0), 2 = (0,128,0), 3 = (128,128,0), 4 = (0,0,128), ...
/// </summary>
public static class DavisPalette
{
    static readonly byte[] rgb = Build();

    /// <summary>256 colours, 768 bytes: R, G, B of index 0, then index 1, ...</summary>
    public static ReadOnlySpan<byte> Rgb => rgb;

    /// <summary>The colour of one index.</summary>
    public static (byte R, byte G, byte B) Color(int index) => (rgb[3 * index], rgb[3 * index + 1], rgb[3 * index + 2]);

    /// <summary>The index of an RGB colour, or -1 when the colour is not in the palette.</summary>
    public static int IndexOf(byte r, byte g, byte b) => Lookup.TryGetValue((r << 16) | (g << 8) | b, out var i) ? i : -1;

    static readonly Dictionary<int, int> Lookup = Enumerable.Range(0, 256)
        .ToDictionary(i => (rgb[3 * i] << 16) | (rgb[3 * i + 1] << 8) | rgb[3 * i + 2], i => i);

    static byte[] Build()
    {
        var p = new byte[768];
        for (int i = 0; i < 256; i++)
        {
            int r = 0, g = 0, b = 0, c = i;
            for (int j = 0; j < 8; j++)
            {
                r |= (c & 1) << (7 - j);
                g |= ((c >> 1) & 1) << (7 - j);
                b |= ((c >> 2) & 1) << (7 - j);
                c >>= 3;
            }
            p[3 * i] = (byte)r; p[3 * i + 1] = (byte)g; p[3 * i + 2] = (byte)b;
        }
        return p;
    }
}
