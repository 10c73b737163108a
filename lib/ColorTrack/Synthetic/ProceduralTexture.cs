namespace ColorTrack.Synthetic;

/// <summary>
/// A small tiling RGB texture (floats in [0, 1]) drawn from a seeded generator: stripes, checks,
/// spots or smooth colour noise in random saturated colours. Sampled bilinearly, wrapping around,
/// so a texture can cover any region and move with the object it paints.
/// </summary>
internal sealed class ProceduralTexture
{
    public int Size { get; }
    readonly float[] _rgb; // [Size, Size, 3]

    ProceduralTexture(int size, float[] rgb) { Size = size; _rgb = rgb; }

    public enum Kind { Stripes, Checks, Spots, Noise }

    /// <summary>
    /// Draw a texture of the given kind (random when null), in random colours or, with a
    /// <paramref name="palette"/>, in the palette's (the same draws are made from <paramref name="rng"/>
    /// either way, so the rest of the scene does not change).
    /// </summary>
    public static ProceduralTexture Create(Random rng, int size, Kind? kind = null, double contrast = 1, ColourPalette? palette = null)
    {
        var k = kind ?? (Kind)rng.Next(4);
        float[] Colour() { var c = RandomColour(rng); return palette?.Pick() ?? c; }
        var c1 = Colour();
        var c2 = Mix(c1, Colour(), contrast);
        var c3 = Mix(c1, Colour(), contrast);
        var rgb = new float[size * size * 3];
        // Frequencies are whole cycles per tile so the texture wraps without a seam.
        int f1 = rng.Next(2, 7), f2 = rng.Next(1, 5), f3 = rng.Next(1, 4);
        var spots = Enumerable.Range(0, rng.Next(4, 10)).Select(_ => (x: rng.NextDouble(), y: rng.NextDouble(), r: 0.05 + 0.12 * rng.NextDouble(), c: rng.Next(2))).ToArray();
        double p1 = rng.NextDouble() * 2 * Math.PI, p2 = rng.NextDouble() * 2 * Math.PI;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double u = (double)x / size, v = (double)y / size;
                float[] c;
                switch (k)
                {
                    case Kind.Stripes:
                        c = Math.Sin(2 * Math.PI * (f1 * u + f2 * v) + p1) > 0 ? c1 : c2;
                        break;
                    case Kind.Checks:
                        c = Math.Sin(2 * Math.PI * f1 * u + p1) * Math.Sin(2 * Math.PI * f1 * v + p2) > 0 ? c1 : c2;
                        break;
                    case Kind.Spots:
                        c = c1;
                        foreach (var s in spots)
                        {
                            double dx = Wrap(u - s.x), dy = Wrap(v - s.y);
                            if (dx * dx + dy * dy < s.r * s.r) c = s.c == 0 ? c2 : c3;
                        }
                        break;
                    default:
                        double w2 = 0.5 + 0.5 * Math.Sin(2 * Math.PI * (f2 * u + f3 * v) + p1);
                        double w3 = 0.5 + 0.5 * Math.Sin(2 * Math.PI * (f3 * u - f2 * v) + p2);
                        c = Mix(Mix(c1, c2, w2), c3, 0.5 * w3);
                        break;
                }
                c.CopyTo(rgb, (y * size + x) * 3);
            }
        return new ProceduralTexture(size, rgb);
    }

    static double Wrap(double d) => d - Math.Round(d);

    static float[] Mix(float[] a, float[] b, double t) => new[] { (float)(a[0] + (b[0] - a[0]) * t), (float)(a[1] + (b[1] - a[1]) * t), (float)(a[2] + (b[2] - a[2]) * t) };

    /// <summary>A random saturated colour (HSV with S in [0.45, 1], V in [0.35, 1]).</summary>
    public static float[] RandomColour(Random rng)
    {
        double h = rng.NextDouble() * 6, s = 0.45 + 0.55 * rng.NextDouble(), v = 0.35 + 0.65 * rng.NextDouble();
        int i = (int)h % 6;
        double f = h - Math.Floor(h), p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
        var (r, g, b) = i switch { 0 => (v, t, p), 1 => (q, v, p), 2 => (p, v, t), 3 => (p, q, v), 4 => (t, p, v), _ => (v, p, q) };
        return new[] { (float)r, (float)g, (float)b };
    }

    /// <summary>Bilinear sample at texel coordinates (any real values; the texture tiles).</summary>
    public void Sample(double tx, double ty, Span<float> rgb)
    {
        double fx = Math.Floor(tx), fy = Math.Floor(ty);
        float wx = (float)(tx - fx), wy = (float)(ty - fy);
        int x0 = Mod((int)fx), y0 = Mod((int)fy), x1 = Mod(x0 + 1), y1 = Mod(y0 + 1);
        int a = (y0 * Size + x0) * 3, b = (y0 * Size + x1) * 3, c = (y1 * Size + x0) * 3, d = (y1 * Size + x1) * 3;
        for (int ch = 0; ch < 3; ch++)
        {
            float top = _rgb[a + ch] + (_rgb[b + ch] - _rgb[a + ch]) * wx;
            float bottom = _rgb[c + ch] + (_rgb[d + ch] - _rgb[c + ch]) * wx;
            rgb[ch] = top + (bottom - top) * wy;
        }
    }

    int Mod(int i) { i %= Size; return i < 0 ? i + Size : i; }
}
