using static TorchSharp.torch;

namespace ColorTrack.Tests.Propagation;

/// <summary>
/// A synthetic video with known motion: a square with its own random texture moves by (dx, dy)
/// pixels per frame over a static random texture (blocks of <c>grain</c> pixels). Ground truth is exact.
/// The square's colours have red above 0.5, the scene's below, so that background the square
/// uncovers (never seen before) still looks like background to a colour-only encoder.
/// With <c>twinX</c> >= 0 the scene also holds a static copy of the square's texture at (twinX, y0):
/// a distractor that only a spatial restriction tells apart.
/// </summary>
public sealed class MovingSquareVideo(int width = 96, int height = 64, int size = 24, int x0 = 16, int y0 = 16,
    int dx = 4, int dy = 0, int frames = 8, int grain = 4, int seed = 1, int twinX = -1)
{
    public int Width => width;
    public int Height => height;
    public int FrameCount => frames;

    readonly float[] _background = Texture(width, height, grain, new Random(seed), 0f);
    readonly float[] _object = Texture(size, size, grain, new Random(seed + 1000), 0.5f);

    static float[] Texture(int w, int h, int grain, Random rng, float redFrom)
    {
        var t = new float[3 * w * h];
        for (int by = 0; by < h; by += grain)
            for (int bx = 0; bx < w; bx += grain)
            {
                float r = redFrom + 0.5f * rng.NextSingle(), g = rng.NextSingle(), b = rng.NextSingle();
                for (int y = by; y < Math.Min(h, by + grain); y++)
                    for (int x = bx; x < Math.Min(w, bx + grain); x++)
                    {
                        t[(0 * h + y) * w + x] = r; t[(1 * h + y) * w + x] = g; t[(2 * h + y) * w + x] = b;
                    }
            }
        return t;
    }

    /// <summary>Top-left corner of the square in frame t.</summary>
    public (int X, int Y) Corner(int t) => (x0 + dx * t, y0 + dy * t);

    /// <summary>Frame t, [3, H, W] RGB in [0, 1].</summary>
    public Tensor Frame(int t)
    {
        var px = (float[])_background.Clone();
        if (twinX >= 0) Paint(px, twinX, y0);
        var (cx, cy) = Corner(t);
        Paint(px, cx, cy);
        return tensor(px).view(3, height, width);
    }

    void Paint(float[] px, int cx, int cy)
    {
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    int X = cx + x, Y = cy + y;
                    if (X >= 0 && X < width && Y >= 0 && Y < height)
                        px[(c * height + Y) * width + X] = _object[(c * size + y) * size + x];
                }
    }

    public IEnumerable<Tensor> Frames() { for (int t = 0; t < frames; t++) yield return Frame(t); }

    /// <summary>Ground-truth mask of frame t: 1 on the square, 0 elsewhere, row-major.</summary>
    public byte[] Mask(int t)
    {
        var m = new byte[width * height];
        var (cx, cy) = Corner(t);
        for (int y = Math.Max(0, cy); y < Math.Min(height, cy + size); y++)
            for (int x = Math.Max(0, cx); x < Math.Min(width, cx + size); x++)
                m[y * width + x] = 1;
        return m;
    }

    /// <summary>One-hot [2, H, W] labels (background, square) of frame t.</summary>
    public Tensor OneHot(int t)
    {
        var fg = tensor(Mask(t).Select(v => (float)v).ToArray()).view(1, height, width);
        return cat([1 - fg, fg], 0);
    }

    public static double IoU(byte[] a, byte[] b)
    {
        int inter = 0, union = 0;
        for (int i = 0; i < a.Length; i++)
        {
            bool x = a[i] != 0, y = b[i] != 0;
            if (x && y) inter++;
            if (x || y) union++;
        }
        return union == 0 ? 1 : (double)inter / union;
    }

    /// <summary>Argmax over the channels of soft labels [C, H, W] as a row-major byte mask.</summary>
    public static byte[] Argmax(Tensor soft) =>
        soft.argmax(0).to(ScalarType.Byte).data<byte>().ToArray();
}
