using System.Text.Json;
using ColorTrack.Color;
using ColorTrack.Runtime;
using ColorTrack.Tests.Support;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Color;

public class LabColorTests
{
    public LabColorTests() => TorchRuntime.EnsureLoaded();

    sealed record Reference(int[][] Rgb, double[][] Lab);

    static Reference LoadReference()
    {
        using var s = File.OpenRead(SharedData.Path("fixtures", "lab-reference.json"));
        var doc = JsonDocument.Parse(s);
        var rgb = doc.RootElement.GetProperty("rgb").EnumerateArray().Select(c => c.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        var lab = doc.RootElement.GetProperty("lab").EnumerateArray().Select(c => c.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        return new Reference(rgb, lab);
    }

    [SharedDataFact]
    public void Scalar_MatchesScikitImageBothWays()
    {
        var r = LoadReference();
        Assert.Equal(2009, r.Rgb.Length);
        for (int i = 0; i < r.Rgb.Length; i++)
        {
            var (l, a, b) = LabColor.FromRgb(r.Rgb[i][0] / 255.0, r.Rgb[i][1] / 255.0, r.Rgb[i][2] / 255.0);
            AssertClose(r.Lab[i], new[] { l, a, b }, 1e-3, $"rgb2lab of colour {i}");
            var (rr, gg, bb) = LabColor.ToRgb(r.Lab[i][0], r.Lab[i][1], r.Lab[i][2]);
            AssertClose(r.Rgb[i].Select(v => v / 255.0).ToArray(), new[] { rr, gg, bb }, 1e-3, $"lab2rgb of colour {i}");
        }
    }

    [SharedDataFact]
    public void Frame_SimdPathMatchesScikitImage()
    {
        var r = LoadReference();
        var rgb = r.Rgb.SelectMany(c => c.Select(v => (byte)v)).ToArray(); // 2009 pixels: odd length exercises the scalar tail
        var lab = LabColor.RgbToLab(rgb);
        int n = r.Rgb.Length;
        for (int i = 0; i < n; i++)
            AssertClose(r.Lab[i], new double[] { lab[i], lab[n + i], lab[2 * n + i] }, 1e-3, $"colour {i}");

        var back = new byte[rgb.Length];
        LabColor.LabToRgb(lab.AsSpan(0, n), lab.AsSpan(n, n), lab.AsSpan(2 * n, n), back);
        Assert.Equal(rgb, back);
    }

    [SharedDataFact]
    public void Tensor_PathMatchesScikitImageBothWays()
    {
        using var scope = NewDisposeScope();
        var r = LoadReference();
        int n = r.Rgb.Length;
        var rgb = tensor(r.Rgb.SelectMany(c => c.Select(v => v / 255f)).ToArray(), new long[] { n, 3 }).T.reshape(3, 1, n); // [3, 1, N]
        var expected = tensor(r.Lab.SelectMany(c => c.Select(v => (float)v)).ToArray(), new long[] { n, 3 }).T.reshape(3, 1, n);
        var lab = LabColor.RgbToLab(rgb);
        Assert.True((lab - expected).abs().max().item<float>() < 1e-3f, "float32 tensor path within 1e-3 of skimage");
        Assert.True((lab - expected).abs().mean().item<float>() < 1e-3f);
        var back = LabColor.LabToRgb(expected);
        Assert.True((back - rgb).abs().max().item<float>() < 1e-3f, "lab2rgb tensor path");
    }

    [Fact]
    public void Frame_SimdPathMatchesDoublePrecisionOnRandomColours()
    {
        // 100,003 pixels (large enough to be split over cores, odd so the scalar tail runs too),
        // including every gray level, where the cube root's linear segment takes over.
        var rng = new Random(11);
        var rgb = new byte[100_003 * 3];
        rng.NextBytes(rgb);
        for (int v = 0; v < 256; v++) rgb[3 * v] = rgb[3 * v + 1] = rgb[3 * v + 2] = (byte)v;
        var lab = LabColor.RgbToLab(rgb);
        int n = rgb.Length / 3;
        double worst = 0;
        for (int i = 0; i < n; i++)
        {
            var (l, a, b) = LabColor.FromRgb(rgb[3 * i] / 255.0, rgb[3 * i + 1] / 255.0, rgb[3 * i + 2] / 255.0);
            worst = Math.Max(worst, Math.Max(Math.Abs(l - lab[i]), Math.Max(Math.Abs(a - lab[n + i]), Math.Abs(b - lab[2 * n + i]))));
        }
        Assert.True(worst < 1e-3, $"largest difference {worst}");
    }

    [Fact]
    public void RoundTrip_EveryChannelLevelWithinHalfAStep()
    {
        // Every 8-bit level in every channel combination on a 16-step grid plus the full gray ramp.
        var colours = new List<(int, int, int)>();
        for (int r = 0; r < 256; r += 17) for (int g = 0; g < 256; g += 17) for (int b = 0; b < 256; b += 17) colours.Add((r, g, b));
        for (int v = 0; v < 256; v++) { colours.Add((v, v, v)); colours.Add((v, 0, 0)); colours.Add((0, v, 0)); colours.Add((0, 0, v)); }
        foreach (var (r, g, b) in colours)
        {
            var (l, a, bb) = LabColor.FromRgb(r / 255.0, g / 255.0, b / 255.0);
            var (r2, g2, b2) = LabColor.ToRgb(l, a, bb);
            Assert.True(Math.Abs(r2 * 255 - r) < 0.5 && Math.Abs(g2 * 255 - g) < 0.5 && Math.Abs(b2 * 255 - b) < 0.5, $"({r},{g},{b}) -> ({r2 * 255},{g2 * 255},{b2 * 255})");
        }
    }

    [Fact]
    public void KnownColours_HaveTextbookLab()
    {
        var white = LabColor.FromRgb(1, 1, 1);
        Assert.Equal(100, white.L, 3);
        Assert.Equal(0, white.A, 2);
        Assert.Equal(0, white.B, 2);
        var black = LabColor.FromRgb(0, 0, 0);
        Assert.Equal(0, black.L, 6);
        var red = LabColor.FromRgb(1, 0, 0); // skimage: 53.2408, 80.0925, 67.2032
        Assert.Equal(53.24, red.L, 2);
        Assert.Equal(80.09, red.A, 2);
        Assert.Equal(67.20, red.B, 2);
    }

    static void AssertClose(double[] expected, double[] actual, double tol, string what)
    {
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= tol, $"{what}: channel {k} expected {expected[k]} got {actual[k]}");
    }
}
