using ColorTrack.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Training;

/// <summary>
/// A learnable synthetic clip stream for trainer tests: a textured background (colour bin 0) and a few
/// squares, each with a random colour bin and an independent random gray level, moving a few pixels
/// per frame. Colour cannot be read off the gray level, but it can be tracked: a model that learns to
/// point at the same square in the reference frames drives the loss far below the colour entropy.
/// </summary>
public sealed class MovingSquaresClipSource(int batchSize, int size, int stride, int bins, long seed, int squares = 3) : IClipSource
{
    readonly Random rng = new((int)(seed % int.MaxValue));

    public int BatchSize => batchSize;

    public ClipBatch Next(CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        int h = size / stride, frames = 4;
        var gray = new float[batchSize * frames * size * size];
        var binIds = new long[batchSize * frames * h * h];
        for (var b = 0; b < batchSize; b++)
        {
            var background = new float[size * size];
            for (var i = 0; i < background.Length; i++) background[i] = (float)(rng.NextDouble() * 0.4 - 0.2);
            var sq = Enumerable.Range(0, squares).Select(_ => (
                x: rng.Next(0, size - size / 3), y: rng.Next(0, size - size / 3), side: rng.Next(size / 5, size / 3),
                vx: rng.Next(-3, 4), vy: rng.Next(-3, 4), bin: rng.Next(1, bins), level: (float)(rng.NextDouble() * 1.6 - 0.8))).ToArray();
            for (var t = 0; t < frames; t++)
            {
                var img = gray.AsSpan(((b * frames) + t) * size * size, size * size);
                background.CopyTo(img);
                var owner = new int[size * size]; // 0 = background, s+1 = square s (later squares on top)
                for (var s = 0; s < sq.Length; s++)
                {
                    var (x0, y0) = (sq[s].x + sq[s].vx * t, sq[s].y + sq[s].vy * t);
                    for (var y = Math.Max(0, y0); y < Math.Min(size, y0 + sq[s].side); y++)
                        for (var x = Math.Max(0, x0); x < Math.Min(size, x0 + sq[s].side); x++)
                        {
                            img[y * size + x] = sq[s].level;
                            owner[y * size + x] = s + 1;
                        }
                }
                // The bin of each feature cell: the colour at the cell's centre pixel.
                for (var cy = 0; cy < h; cy++)
                    for (var cx = 0; cx < h; cx++)
                    {
                        var o = owner[(cy * stride + stride / 2) * size + cx * stride + stride / 2];
                        binIds[(((b * frames) + t) * h + cy) * h + cx] = o == 0 ? 0 : sq[o - 1].bin;
                    }
            }
        }
        return new ClipBatch(
            tensor(gray, new long[] { batchSize, frames, 1, size, size }),
            tensor(binIds, new long[] { batchSize, frames, h, h }));
    }

    public void Dispose() { }
}
