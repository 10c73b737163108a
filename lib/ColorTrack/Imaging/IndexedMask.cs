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

    /// <summary>
    /// A box given as numbers (its left, top, width and height in pixels), as object <paramref name="id"/> on
    /// background: how a first-frame mask is made when there is only a box. The box is clipped to the frame;
    /// one that misses it entirely is an error.
    /// </summary>
    public static IndexedMask FromBox(int width, int height, int left, int top, int boxWidth, int boxHeight, byte id = 1)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"frame size {width}x{height} must be positive");
        if (id == 0) throw new ArgumentException("the box's id must not be 0 (background)");
        int x0 = Math.Max(0, left), y0 = Math.Max(0, top), x1 = Math.Min(width, left + boxWidth), y1 = Math.Min(height, top + boxHeight);
        if (x1 <= x0 || y1 <= y0)
            throw new ArgumentException($"the box (left {left}, top {top}, {boxWidth}x{boxHeight}) does not overlap the {width}x{height} frame");
        var ids = new byte[width * height];
        for (int y = y0; y < y1; y++) Array.Fill(ids, id, y * width + x0, x1 - x0);
        return new IndexedMask(width, height, ids);
    }

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
