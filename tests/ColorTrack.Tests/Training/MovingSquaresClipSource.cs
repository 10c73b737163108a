using ColorTrack.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Training;

/// <summary>
/// A learnable synthetic clip stream for trainer tests: a textured background (colour bin 0) and a few
/// squares, each with a random colour bin and an independent random gray level, moving a few pixels
/// per frame. Colour cannot be read off the gray level, but it can be tracked: a model that learns to
/// point at the same square in the reference frames drives the loss far below the colour entropy.
/// With <paramref name="withCellColors"/> each batch also carries the cells' colours (the regression
/// objectives' targets): L from the gray level, (a, b) one fixed colour per bin.
/// </summary>
public sealed class MovingSquaresClipSource(int batchSize, int size, int stride, int bins, long seed, int squares = 3, bool withCellColors = false) : IClipSource
{
    readonly Random rng = new((int)(seed % int.MaxValue));

    public int BatchSize => batchSize;

    sealed record Square(int X, int Y, int Side, int Vx, int Vy, int Bin, float Level);

    /// <summary>Training squares: anywhere, speeds -3..3 px a frame on each axis.</summary>
    static Square[] DrawSquares(Random rng, int size, int count, int bins) =>
        Enumerable.Range(0, count).Select(_ => new Square(
            rng.Next(0, size - size / 3), rng.Next(0, size - size / 3), rng.Next(size / 5, size / 3),
            rng.Next(-3, 4), rng.Next(-3, 4), rng.Next(1, bins), (float)(rng.NextDouble() * 1.6 - 0.8))).ToArray();

    /// <summary>Held-out squares: away from the border, 2-3 px a frame on each axis, so they stay in view for a few frames.</summary>
    static Square[] DrawMovingSquares(Random rng, int size, int count, int bins) =>
        Enumerable.Range(0, count).Select(_ =>
        {
            int Speed() { var v = rng.Next(2, 4); return rng.Next(2) == 0 ? -v : v; }
            return new Square(rng.Next(size / 3, size - size / 3 - size / 5), rng.Next(size / 3, size - size / 3 - size / 5),
                rng.Next(size / 5, size / 3), Speed(), Speed(), rng.Next(1, bins), (float)(rng.NextDouble() * 1.6 - 0.8));
        }).ToArray();

    /// <summary>Paint frame t of a scene into <paramref name="img"/>; <paramref name="owner"/> gets 0 = background, s+1 = square s (later on top).</summary>
    static void Paint(float[] background, Square[] sq, int t, int size, Span<float> img, int[] owner)
    {
        background.CopyTo(img);
        Array.Clear(owner);
        for (var s = 0; s < sq.Length; s++)
        {
            var (x0, y0) = (sq[s].X + sq[s].Vx * t, sq[s].Y + sq[s].Vy * t);
            for (var y = Math.Max(0, y0); y < Math.Min(size, y0 + sq[s].Side); y++)
                for (var x = Math.Max(0, x0); x < Math.Min(size, x0 + sq[s].Side); x++)
                {
                    img[y * size + x] = sq[s].Level;
                    owner[y * size + x] = s + 1;
                }
        }
    }

    static float[] Background(Random rng, int size)
    {
        var background = new float[size * size];
        for (var i = 0; i < background.Length; i++) background[i] = (float)(rng.NextDouble() * 0.4 - 0.2);
        return background;
    }

    public ClipBatch Next(CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        int h = size / stride, frames = 4;
        var gray = new float[batchSize * frames * size * size];
        var binIds = new long[batchSize * frames * h * h];
        var cellLab = new float[batchSize * frames * 3 * h * h];
        var owner = new int[size * size];
        for (var b = 0; b < batchSize; b++)
        {
            var background = Background(rng, size);
            var sq = DrawSquares(rng, size, squares, bins);
            for (var t = 0; t < frames; t++)
            {
                var img = gray.AsSpan(((b * frames) + t) * size * size, size * size);
                Paint(background, sq, t, size, img, owner);
                // The bin of each feature cell: the colour at the cell's centre pixel.
                for (var cy = 0; cy < h; cy++)
                    for (var cx = 0; cx < h; cx++)
                    {
                        var centre = (cy * stride + stride / 2) * size + cx * stride + stride / 2;
                        var o = owner[centre];
                        var bin = o == 0 ? 0 : sq[o - 1].Bin;
                        binIds[(((b * frames) + t) * h + cy) * h + cx] = bin;
                        var cell = ((b * frames) + t) * 3 * h * h + cy * h + cx;
                        cellLab[cell] = img[centre];
                        cellLab[cell + h * h] = MathF.Cos(bin * 2.4f) * 0.6f;     // a fixed (a, b) per bin
                        cellLab[cell + 2 * h * h] = MathF.Sin(bin * 2.4f) * 0.6f;
                    }
            }
        }
        return new ClipBatch(
            tensor(gray, new long[] { batchSize, frames, 1, size, size }),
            tensor(binIds, new long[] { batchSize, frames, h, h }),
            CellLab: withCellColors ? tensor(cellLab, new long[] { batchSize, frames, 3, h, h }) : null);
    }

    /// <summary>
    /// A held-out video of the same kind: gray frames [1, S, S] and the mask [1, S, S] (0/1) of the
    /// top square, which moves 2-3 pixels a frame on each axis; two more squares move beneath it.
    /// </summary>
    public static (Tensor[] Frames, Tensor[] Masks) Video(int size, int frames, int seed)
    {
        var rng = new Random(seed);
        var background = Background(rng, size);
        var sq = DrawMovingSquares(rng, size, 3, 16);
        var owner = new int[size * size];
        var img = new float[size * size];
        var outFrames = new Tensor[frames];
        var masks = new Tensor[frames];
        for (var t = 0; t < frames; t++)
        {
            Paint(background, sq, t, size, img, owner);
            outFrames[t] = tensor(img.ToArray(), new long[] { 1, size, size });           // a copy: the buffer is reused
            masks[t] = tensor(owner.Select(o => o == sq.Length ? 1f : 0f).ToArray(), new long[] { 1, size, size });
        }
        return (outFrames, masks);
    }

    public void Dispose() { }
}
