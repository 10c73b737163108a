using ColorTrack.Color;
using Plotly.NET;
using Plotly.NET.CSharp;

namespace ColorTrack.Analysis;

/// <summary>Charts of the colour bins and of colour coherence (notebooks 1 and 2).</summary>
public static class ColorBinCharts
{
    /// <summary>Bin agreement against the time gap, with the chance level.</summary>
    public static GenericChart AgreementDecay(IReadOnlyList<ColorCoherence.Point> points, string name = "video")
    {
        var x = points.Select(p => p.GapSeconds).ToArray();
        var agree = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: x, y: points.Select(p => p.Agreement).ToArray(), Name: $"{name}: same bin", ShowMarkers: true);
        var chance = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: x, y: points.Select(p => p.Chance).ToArray(), Name: "chance (independent pixels)");
        return Plotly.NET.CSharp.Chart.Combine(new[] { agree, chance })
            .Titled("Colour is temporally coherent: bin agreement vs time gap", "gap between frames (s)", "fraction of pixels in the same colour bin");
    }

    /// <summary>The k centroids as coloured swatches in the ab plane, over the density of the samples,
    /// each numbered as in <see cref="ClusterSizes"/> (so a bin can be found in both).</summary>
    public static GenericChart CentroidsOverDensity(float[] ab, KMeansColorQuantizer q, double lightness = 70)
    {
        // Density as a 2D histogram over a fixed ab window (log counts, so the tails stay visible).
        const int bins = 64; const double lo = -80, hi = 80, width = (hi - lo) / bins;
        var counts = new double[bins, bins];
        for (int i = 0; i < ab.Length / 2; i++)
        {
            int xa = (int)((ab[2 * i] - lo) / width), yb = (int)((ab[2 * i + 1] - lo) / width);
            if ((uint)xa < bins && (uint)yb < bins) counts[yb, xa]++;
        }
        var z = Enumerable.Range(0, bins).Select(r => Enumerable.Range(0, bins).Select(c => Math.Log10(1 + counts[r, c])).ToArray()).ToArray();
        var axis = Enumerable.Range(0, bins).Select(i => lo + (i + 0.5) * width).ToArray();
        var density = Plotly.NET.CSharp.Chart.Heatmap<double, double, double, string>(zData: z, X: axis, Y: axis, Name: "log10(1 + samples)",
            ColorScale: StyleParam.Colorscale.Greys, ReverseScale: true);
        var colors = Enumerable.Range(0, q.K).Select(k => { var (r, g, bl) = ColorViews.BinColor(q, k, lightness); return ChartStyle.Rgb(r, g, bl); });
        var centroids = Plotly.NET.CSharp.Chart.Point<double, double, string>(
            x: Enumerable.Range(0, q.K).Select(k => (double)q.Color(k).A).ToArray(),
            y: Enumerable.Range(0, q.K).Select(k => (double)q.Color(k).B).ToArray(),
            Name: "centroids", MultiText: Enumerable.Range(0, q.K).Select(k => k.ToString()).ToArray(),
            TextPosition: StyleParam.TextPosition.TopCenter, MarkerColor: Plotly.NET.Color.fromColors(colors));
        return Plotly.NET.CSharp.Chart.Combine(new[] { density, centroids })
            .Titled($"{q.K} k-means colour bins in the ab plane", "a", "b", 720, 620);
    }

    /// <summary>How many samples fell into each bin, bars in the bin's colour.</summary>
    public static GenericChart ClusterSizes(KMeansColorQuantizer q, double lightness = 70)
    {
        var colors = Enumerable.Range(0, q.K).Select(k => { var (r, g, bl) = ColorViews.BinColor(q, k, lightness); return ChartStyle.Rgb(r, g, bl); });
        var total = (double)Math.Max(1, q.SampleCount);
        return Plotly.NET.CSharp.Chart.Column<double, string, string>(
                values: q.ClusterSizes.Select(s => s / total).ToArray(),
                Keys: Enumerable.Range(0, q.K).Select(k => $"bin {k}").ToArray(),
                MarkerColor: Plotly.NET.Color.fromColors(colors))
            .Titled("Cluster sizes", "colour bin", "fraction of samples");
    }
}
