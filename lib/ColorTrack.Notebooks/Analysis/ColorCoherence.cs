using ColorTrack.Color;
using ColorTrack.Video;

namespace ColorTrack.Analysis;

/// <summary>
/// How temporally coherent is colour? (Figure 3.) For frame pairs a gap apart, the fraction of
/// pixels whose colour bin is unchanged. Colour copying can only teach tracking if this stays well
/// above chance — the agreement of two pixels drawn independently, sum_k p_k^2 over the bin
/// frequencies p_k — for the gaps the model is trained on.
/// </summary>
public static class ColorCoherence
{
    /// <param name="GapFrames">Frames between the two frames of a pair.</param>
    /// <param name="GapSeconds">The same gap in seconds.</param>
    /// <param name="Agreement">Mean fraction of sampled pixels with the same bin in both frames.</param>
    /// <param name="Chance">Agreement expected of independent pixels with the video's bin frequencies.</param>
    /// <param name="Pairs">Frame pairs averaged.</param>
    public sealed record Point(int GapFrames, double GapSeconds, double Agreement, double Chance, int Pairs);

    /// <summary>Bin agreement for every gap 1..maxGap, on every <paramref name="pixelStride"/>-th pixel in x and y.</summary>
    public static IReadOnlyList<Point> AgreementByGap(IReadOnlyList<VideoFrame> frames, double fps, KMeansColorQuantizer q, int maxGap, int pixelStride = 2)
    {
        if (frames.Count < 2) throw new ArgumentException("need at least two frames");
        maxGap = Math.Min(maxGap, frames.Count - 1);
        var bins = frames.Select(f => SampledBins(f, q, pixelStride)).ToArray();   // [T][n]
        int n = bins[0].Length;

        var freq = new double[q.K];
        foreach (var b in bins) foreach (var k in b) freq[k]++;
        double total = freq.Sum(), chance = freq.Sum(c => (c / total) * (c / total));

        var points = new List<Point>();
        for (int gap = 1; gap <= maxGap; gap++)
        {
            double sum = 0;
            int pairs = frames.Count - gap;
            for (int t = 0; t < pairs; t++)
            {
                int same = 0;
                for (int i = 0; i < n; i++) if (bins[t][i] == bins[t + gap][i]) same++;
                sum += (double)same / n;
            }
            points.Add(new Point(gap, gap / fps, sum / pairs, chance, pairs));
        }
        return points;
    }

    static int[] SampledBins(VideoFrame f, KMeansColorQuantizer q, int stride)
    {
        var lab = LabColor.RgbToLab(f.Rgb);
        int n = f.Width * f.Height;
        var a = new List<float>(); var b = new List<float>();
        for (int y = 0; y < f.Height; y += stride)
            for (int x = 0; x < f.Width; x += stride)
            {
                a.Add(lab[n + y * f.Width + x]);
                b.Add(lab[2 * n + y * f.Width + x]);
            }
        var bins = new int[a.Count];
        q.Bins(a.ToArray(), b.ToArray(), bins);
        return bins;
    }
}
