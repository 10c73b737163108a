namespace ColorTrack.Imaging;

/// <summary>
/// A label image: one byte per pixel, row-major (<c>Ids[y * Width + x]</c>), 0 = background, other
/// values are object ids exactly as stored in the file (DAVIS: 1..N; 255 may mark "void").
/// </summary>
public sealed record IndexedMask(int Width, int Height, byte[] Ids)
{
    public byte this[int x, int y] => Ids[y * Width + x];

    /// <summary>An all-background mask.</summary>
    public static IndexedMask Empty(int width, int height) => new(width, height, new byte[width * height]);

    /// <summary>The largest id present (0 when the mask is all background).</summary>
    public int MaxId()
    {
        int max = 0;
        foreach (var id in Ids) if (id > max) max = id;
        return max;
    }

    /// <summary>Resized by nearest neighbour (ids are labels: never interpolated).</summary>
    public IndexedMask ResizeNearest(int width, int height)
    {
        var ids = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            int sy = Math.Min(Height - 1, (int)((y + 0.5) * Height / height));
            for (int x = 0; x < width; x++)
                ids[y * width + x] = Ids[sy * Width + Math.Min(Width - 1, (int)((x + 0.5) * Width / width))];
        }
        return new IndexedMask(width, height, ids);
    }
}
