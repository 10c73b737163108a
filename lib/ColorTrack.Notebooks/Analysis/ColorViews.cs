using ColorTrack.Color;
using ColorTrack.Video;

namespace ColorTrack.Analysis;

/// <summary>
/// Pictures of a frame's colour (section 3.2, Figure 3): its ab channels alone, and the frame
/// re-coloured from its colour bins — the best any colour-copying model can reproduce.
/// </summary>
public static class ColorViews
{
    /// <summary>
    /// The ab channels shown at a constant lightness, so only chroma varies; <paramref name="chromaBoost"/>
    /// multiplies a and b (natural video is mostly near-gray, so at 1 the ab view is a dull wash;
    /// the paper's Figure 3 likewise exaggerates colours to make them visible).
    /// </summary>
    public static VideoFrame AbOnly(VideoFrame f, float lightness = 70f, float chromaBoost = 1f)
    {
        int n = f.Width * f.Height;
        var lab = LabColor.RgbToLab(f.Rgb);                 // planar [3, H, W]: L, a, b
        Array.Fill(lab, lightness, 0, n);
        for (int i = n; i < 3 * n; i++) lab[i] *= chromaBoost;
        return f with { Rgb = ToRgb(lab, n) };
    }

    /// <summary>
    /// Each pixel's ab replaced by its bin's centroid. With <paramref name="keepLightness"/> the
    /// original L is kept (the colorization target on top of the gray input); otherwise L is constant.
    /// </summary>
    public static VideoFrame Quantized(VideoFrame f, KMeansColorQuantizer q, bool keepLightness = true, float lightness = 70f)
    {
        int n = f.Width * f.Height;
        var lab = LabColor.RgbToLab(f.Rgb);
        var bins = new int[n];
        q.Bins(lab.AsSpan(n, n), lab.AsSpan(2 * n, n), bins);
        for (int i = 0; i < n; i++)
        {
            var (a, b) = q.Color(bins[i]);
            lab[n + i] = a;
            lab[2 * n + i] = b;
            if (!keepLightness) lab[i] = lightness;
        }
        return f with { Rgb = ToRgb(lab, n) };
    }

    /// <summary>The gray input the network sees (L only), as an RGB picture.</summary>
    public static VideoFrame Gray(VideoFrame f)
    {
        int n = f.Width * f.Height;
        var lab = LabColor.RgbToLab(f.Rgb);
        Array.Clear(lab, n, 2 * n);
        return f with { Rgb = ToRgb(lab, n) };
    }

    /// <summary>The sRGB colour of a bin's centroid at a given lightness (for swatches).</summary>
    public static (byte R, byte G, byte B) BinColor(KMeansColorQuantizer q, int bin, double lightness = 70)
    {
        var (a, b) = q.Color(bin);
        var (r, g, bl) = LabColor.ToRgb(lightness, a, b);
        static byte U8(double v) => (byte)Math.Round(Math.Clamp(v, 0, 1) * 255);
        return (U8(r), U8(g), U8(bl));
    }

    static byte[] ToRgb(float[] lab, int n)
    {
        var rgb = new byte[3 * n];
        LabColor.LabToRgb(lab.AsSpan(0, n), lab.AsSpan(n, n), lab.AsSpan(2 * n, n), rgb);
        return rgb;
    }
}
