namespace ColorTrack.Imaging;

/// <summary>Masks drawn over frames: each object's DAVIS-palette colour blended into its pixels.</summary>
public static class MaskOverlay
{
    /// <summary>
    /// A copy of <paramref name="rgb"/> (RGB24, row-major, the mask's size) with every object pixel
    /// moved <paramref name="alpha"/> of the way to its palette colour; background pixels unchanged.
    /// </summary>
    public static byte[] Blend(byte[] rgb, IndexedMask mask, double alpha = 0.5)
    {
        if (rgb.Length != 3 * mask.Ids.Length) throw new ArgumentException($"frame has {rgb.Length / 3} pixels, mask {mask.Ids.Length}");
        var o = (byte[])rgb.Clone();
        for (int i = 0; i < mask.Ids.Length; i++)
        {
            int id = mask.Ids[i];
            if (id == 0) continue;
            var (r, g, b) = DavisPalette.Color(id);
            o[3 * i] = (byte)(o[3 * i] * (1 - alpha) + r * alpha);
            o[3 * i + 1] = (byte)(o[3 * i + 1] * (1 - alpha) + g * alpha);
            o[3 * i + 2] = (byte)(o[3 * i + 2] * (1 - alpha) + b * alpha);
        }
        return o;
    }
}
