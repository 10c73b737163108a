using ColorTrack.Color;
using ColorTrack.Video;

namespace ColorTrack.Data;

/// <summary>
/// Collects ab colour samples from a video set for fitting the colour bins: every n-th frame of
/// every video and every m-th pixel of it (as the reference fixture was made: every 10th frame,
/// every 8th pixel), then, when there are more than asked for, a seeded random subset.
/// </summary>
public static class AbSampleCollector
{
    /// <param name="videos">The videos.</param>
    /// <param name="everyNthFrame">Frame stride (native frames).</param>
    /// <param name="everyNthPixel">Pixel stride in x and in y.</param>
    /// <param name="maxSamples">Keep at most this many samples (null = all).</param>
    /// <param name="seed">Seeds the subset.</param>
    /// <param name="maxWidth">Frames wider than this are down-sized first (colour statistics barely change; decoding gets cheaper).</param>
    /// <param name="progress">Called after each video with (done, total).</param>
    /// <returns>(a, b) pairs interleaved.</returns>
    public static float[] Collect(VideoSet videos, int everyNthFrame = 10, int everyNthPixel = 8, int? maxSamples = null, int seed = 0,
        int? maxWidth = null, Action<int, int>? progress = null)
    {
        if (everyNthFrame < 1 || everyNthPixel < 1) throw new ArgumentException("strides must be at least 1");
        var ab = new List<float>();
        for (int v = 0; v < videos.Count; v++)
        {
            var source = videos.Videos[v].Open(FrameSourceOptions.Native);
            if (maxWidth is { } mw && source.Width > mw)
            {
                source.Dispose();
                source = videos.Videos[v].Open(new FrameSourceOptions(Width: mw));
            }
            using (source)
            {
                foreach (var frame in source.Frames())
                {
                    if (frame.Index % everyNthFrame != 0) continue;
                    var lab = LabColor.RgbToLab(frame.Rgb); // [3, H, W]
                    int n = frame.Pixels;
                    for (int y = 0; y < frame.Height; y += everyNthPixel)
                        for (int i = y * frame.Width; i < (y + 1) * frame.Width; i += everyNthPixel) { ab.Add(lab[n + i]); ab.Add(lab[2 * n + i]); }
                }
            }
            progress?.Invoke(v + 1, videos.Count);
        }
        var all = ab.ToArray();
        int count = all.Length / 2;
        if (maxSamples is not { } max || count <= max) return all;
        // A seeded partial Fisher-Yates shuffle picks the subset.
        var rng = new Random(seed);
        var order = Enumerable.Range(0, count).ToArray();
        for (int i = 0; i < max; i++) { int j = rng.Next(i, count); (order[i], order[j]) = (order[j], order[i]); }
        var subset = new float[2 * max];
        for (int i = 0; i < max; i++) { subset[2 * i] = all[2 * order[i]]; subset[2 * i + 1] = all[2 * order[i] + 1]; }
        return subset;
    }
}
