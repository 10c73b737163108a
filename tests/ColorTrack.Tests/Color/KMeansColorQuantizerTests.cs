using System.Diagnostics;
using System.Text.Json;
using ColorTrack.Color;
using ColorTrack.Runtime;
using ColorTrack.Tests.Support;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Color;

public class KMeansColorQuantizerTests
{
    public KMeansColorQuantizerTests() => TorchRuntime.EnsureLoaded();

    [SharedDataFact]
    public void Fit_ReachesScikitLearnInertiaOnRealAbSamples()
    {
        var ab = AbSampleFile.Read(SharedData.Path("fixtures", "ab-samples.f32"));
        using var reference = JsonDocument.Parse(File.ReadAllText(SharedData.Path("fixtures", "kmeans-reference.json")));
        double sklearn = reference.RootElement.GetProperty("sklearn_inertia_sum_sq").GetDouble();
        Assert.Equal(263220 * 2, ab.Length);

        var sw = Stopwatch.StartNew();
        var q = KMeansColorQuantizer.Fit(ab, new KMeansOptions(K: 16, Restarts: 4, Seed: 0)); // the benchmark runs all 10
        Assert.Equal(16, q.K);
        Assert.True(q.Inertia <= 1.005 * sklearn, $"inertia {q.Inertia:F0} vs scikit-learn {sklearn:F0} ({sw.Elapsed.TotalSeconds:F2} s)");
        Assert.Equal(263220, q.SampleCount);
        Assert.Equal(q.Inertia, q.InertiaOf(ab), 1e-4 * q.Inertia); // the reported inertia is that of the returned centroids
    }

    [Fact]
    public void Fit_FindsObviousClustersAndIsDeterministic()
    {
        var rng = new Random(1);
        var centres = new[] { (-40f, 10f), (20f, 30f), (5f, -45f) };
        var ab = new float[3000 * 2];
        for (int i = 0; i < 3000; i++)
        {
            var (a, b) = centres[i % 3];
            ab[2 * i] = a + (float)(rng.NextDouble() - 0.5);
            ab[2 * i + 1] = b + (float)(rng.NextDouble() - 0.5);
        }
        var q = KMeansColorQuantizer.Fit(ab, new KMeansOptions(K: 3, Restarts: 3, Seed: 5));
        foreach (var (a, b) in centres)
        {
            var (ca, cb) = q.Color(q.Bin(a, b));
            Assert.True(Math.Abs(ca - a) < 0.1 && Math.Abs(cb - b) < 0.1, $"centre ({a},{b}) found as ({ca},{cb})");
        }
        Assert.Equal(new long[] { 1000, 1000, 1000 }, q.ClusterSizes);
        var again = KMeansColorQuantizer.Fit(ab, new KMeansOptions(K: 3, Restarts: 3, Seed: 5, Threads: 1));
        Assert.Equal(q.Centroids, again.Centroids);
        // One restart on two cores splits the nearest-centre search; the result must not change.
        var split = KMeansColorQuantizer.Fit(ab, new KMeansOptions(K: 3, Restarts: 1, Seed: 5, Threads: 2));
        var serial = KMeansColorQuantizer.Fit(ab, new KMeansOptions(K: 3, Restarts: 1, Seed: 5, Threads: 1));
        Assert.Equal(serial.Centroids, split.Centroids);
        Assert.Equal(serial.ClusterSizes, split.ClusterSizes);
        Assert.Equal(serial.Inertia, split.Inertia, 1e-6 * serial.Inertia);
    }

    [Fact]
    public void Bins_TensorSpanAndScalarPathsAgree_AndColorsInvertBins()
    {
        using var scope = NewDisposeScope();
        var q = new KMeansColorQuantizer(new float[] { 0, 0, 30, 0, 0, 30, -30, -30 });
        manual_seed(0);
        var ab = randn(2, 2, 5, 7) * 30;                               // [B, 2, H, W]
        var bins = q.Bins(ab);                                          // [B, H, W]
        Assert.Equal(new long[] { 2, 5, 7 }, bins.shape);
        var a = ab.select(1, 0).contiguous().data<float>().ToArray();
        var b = ab.select(1, 1).contiguous().data<float>().ToArray();
        var spans = new int[a.Length];
        q.Bins(a, b, spans);
        var tensorBins = bins.data<long>().ToArray();
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(q.Bin(a[i], b[i]), spans[i]);
            Assert.Equal(spans[i], (int)tensorBins[i]);
        }
        var colours = q.Colors(bins);                                   // [B, 2, H, W]
        Assert.Equal(new long[] { 2, 2, 5, 7 }, colours.shape);
        Assert.True(q.Bins(colours).eq(bins).all().item<bool>(), "a centroid's bin is itself");
        var oneHot = q.OneHot(bins);                                    // [B, H, W, K]
        Assert.Equal(new long[] { 2, 5, 7, 4 }, oneHot.shape);
        Assert.True(oneHot.argmax(-1).eq(bins).all().item<bool>());
        Assert.Equal(70f, oneHot.sum().item<float>());
    }

    [Fact]
    public void SaveLoad_RoundTripsCentroidsStatsAndProvenance()
    {
        using var dir = new TempDir();
        var q = new KMeansColorQuantizer(new float[] { 1.5f, -2.25f, 30, 40 }, 123.5, new long[] { 7, 9 });
        q.Save(dir["bins.json"], RunProvenance.Capture("test", new { K = 2 }, seed: 3));
        var back = KMeansColorQuantizer.Load(dir["bins.json"]);
        Assert.Equal(q.Centroids, back.Centroids);
        Assert.Equal(123.5, back.Inertia);
        Assert.Equal(new long[] { 7, 9 }, back.ClusterSizes);
        Assert.Equal(3, back.Provenance!["seed"]!.GetValue<long>());
        Assert.Single(Directory.GetFiles(dir.Path)); // no temporary file left
    }

    [Fact]
    public void AbSampleFile_RoundTripsAndRejectsPartialPairs()
    {
        using var dir = new TempDir();
        var ab = new[] { 1.5f, -2f, 30f, 40.25f };
        AbSampleFile.Write(dir["ab.f32"], ab);
        Assert.Equal(ab, AbSampleFile.Read(dir["ab.f32"]));
        File.WriteAllBytes(dir["odd.f32"], new byte[12]); // one and a half pairs
        var e = Assert.Throws<BadInputException>(() => AbSampleFile.Read(dir["odd.f32"]));
        Assert.Equal(dir["odd.f32"], e.Path);
    }

    [Theory]
    [InlineData("garbage", "invalid JSON")]
    [InlineData("{\"format\": \"something-else\"}", "not a colour-bins file")]
    [InlineData("{\"format\": \"colortrack-colour-bins\", \"k\": 3, \"centroids\": [[0,0],[1,1]]}", "k = 3")]
    [InlineData("{\"format\": \"colortrack-colour-bins\", \"centroids\": [[0,0,0],[1,1,1]]}", "pair")]
    [InlineData("{\"format\": \"colortrack-colour-bins\"}", "no centroids")]
    public void Load_NotABinsFile_IsBadInputNamingIt(string content, string problem)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["bins.json"], content);
        var e = Assert.Throws<BadInputException>(() => KMeansColorQuantizer.Load(dir["bins.json"]));
        Assert.Equal(dir["bins.json"], e.Path);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
