using System.Text.Json;
using System.Text.Json.Nodes;
using ColorTrack.Runtime;
using TorchSharp;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;

namespace ColorTrack.Color;

/// <summary>
/// The colour bins of the paper (section 3.2): k-means centroids in the ab plane of Lab. A pixel's
/// training target is the index of its nearest centroid; predicted bins map back to colours.
/// Saved as a small JSON file: centroids, fit statistics and the provenance of the fit.
/// </summary>
public sealed class KMeansColorQuantizer
{
    public const string Format = "colortrack-colour-bins";

    /// <summary>Number of bins.</summary>
    public int K => Centroids.Length / 2;

    /// <summary>Centroids as (a, b) pairs: k x 2 floats.</summary>
    public float[] Centroids { get; }

    /// <summary>Sum of squared ab distances of the fitted samples to their centroids (NaN when unknown).</summary>
    public double Inertia { get; }

    /// <summary>Samples per bin in the fit (empty when unknown).</summary>
    public long[] ClusterSizes { get; }

    /// <summary>Number of ab samples fitted.</summary>
    public long SampleCount => ClusterSizes.Sum();

    /// <summary>What produced the bins (command, config, seed, commit), as saved; null when built in memory.</summary>
    public JsonNode? Provenance { get; init; }

    public KMeansColorQuantizer(float[] centroids, double inertia = double.NaN, long[]? clusterSizes = null)
    {
        if (centroids.Length < 2 || centroids.Length % 2 != 0) throw new ArgumentException("centroids must be k x 2 floats");
        Centroids = centroids;
        Inertia = inertia;
        ClusterSizes = clusterSizes ?? Array.Empty<long>();
    }

    /// <summary>Cluster ab samples ((a, b) interleaved) with k-means++ and restarts; the best restart is kept.</summary>
    public static KMeansColorQuantizer Fit(ReadOnlySpan<float> ab, KMeansOptions? options = null)
    {
        var r = KMeans2D.Fit(ab, options ?? KMeansOptions.Paper);
        return new KMeansColorQuantizer(r.Centroids, r.Inertia, r.Sizes);
    }

    /// <summary>Sum of squared distances of the samples ((a, b) interleaved) to their nearest centroid.</summary>
    public double InertiaOf(ReadOnlySpan<float> ab)
    {
        double s = 0;
        for (int i = 0; i + 1 < ab.Length; i += 2) s += KMeans2D.Nearest(Centroids, ab[i], ab[i + 1]).Distance;
        return s;
    }

    // ---------------------------------------------------------------- ab <-> bins

    /// <summary>The bin of one colour.</summary>
    public int Bin(float a, float b) => KMeans2D.Nearest(Centroids, a, b).Index;

    /// <summary>The colour of one bin.</summary>
    public (float A, float B) Color(int bin) => (Centroids[2 * bin], Centroids[2 * bin + 1]);

    /// <summary>Bins of planar a and b values (SIMD nearest-centroid search).</summary>
    public void Bins(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<int> bins)
    {
        var xs = a.ToArray();
        var ys = b.ToArray();
        var labels = new int[xs.Length];
        KMeans2D.Assign(xs, ys, Centroids, labels, new float[xs.Length]);
        labels.CopyTo(bins);
    }

    /// <summary>Bins of an ab tensor [..., 2, H, W] -> int64 [..., H, W].</summary>
    public Tensor Bins(Tensor ab)
    {
        using var scope = NewDisposeScope();
        var c = CentroidTensor(ab.device);                                   // [K, 2]
        var x = ab.to_type(ScalarType.Float32).unsqueeze(-4);                // [..., 1, 2, H, W]
        var d = (x - c.view(new long[] { K, 2, 1, 1 })).Squared().sum(-3);                   // [..., K, H, W]
        return d.argmin(-3).MoveToOuterDisposeScope();
    }

    /// <summary>One-hot vectors of bins: int64 [...] -> float32 [..., K] (as the paper represents each pixel's colour).</summary>
    public Tensor OneHot(Tensor bins) => nn.functional.one_hot(bins, K).to_type(ScalarType.Float32);

    /// <summary>Colours of bins: int64 [..., H, W] -> ab float32 [..., 2, H, W].</summary>
    public Tensor Colors(Tensor bins)
    {
        using var scope = NewDisposeScope();
        var ab = CentroidTensor(bins.device).index_select(0, bins.flatten());  // [N, 2]
        var shape = bins.shape.Append(2).ToArray();
        return ab.view(shape).movedim(new long[] { -1 }, new long[] { -3 }).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Centroids as a tensor [K, 2].</summary>
    public Tensor CentroidTensor(Device? device = null) => tensor(Centroids, new long[] { K, 2 }).to(device ?? CPU);

    // ---------------------------------------------------------------- file

    /// <summary>Write the bins as JSON, atomically, with the provenance of the fit.</summary>
    public void Save(string path, RunProvenance? provenance = null)
    {
        var json = new JsonObject
        {
            ["format"] = Format,
            ["version"] = 1,
            ["k"] = K,
            ["centroids"] = new JsonArray(Enumerable.Range(0, K).Select(j => (JsonNode)new JsonArray(Centroids[2 * j], Centroids[2 * j + 1])).ToArray()),
            ["inertia"] = double.IsFinite(Inertia) ? Inertia : null,
            ["clusterSizes"] = new JsonArray(ClusterSizes.Select(s => (JsonNode)s).ToArray()),
            ["provenance"] = provenance != null ? JsonSerializer.SerializeToNode(provenance, RunProvenance.Json) : Provenance?.DeepClone(),
        };
        AtomicFile.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Read a bins file; anything that is not one gives a <see cref="BadInputException"/> naming it.</summary>
    public static KMeansColorQuantizer Load(string path)
    {
        if (!File.Exists(path)) throw new BadInputException(path, "file not found");
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new BadInputException(path, $"not a colour-bins file (invalid JSON: {ErrorText.FirstLine(e.Message)})"); }
        if (root is not JsonObject o || (string?)o["format"] != Format)
            throw new BadInputException(path, $"not a colour-bins file (no \"format\": \"{Format}\")");
        try
        {
            var rows = o["centroids"]?.AsArray() ?? throw new FormatException("no centroids");
            var centroids = rows.SelectMany(r => r!.AsArray().Count == 2 ? r.AsArray().Select(v => v!.GetValue<float>()) : throw new FormatException("a centroid is not an (a, b) pair")).ToArray();
            if (centroids.Length < 4) throw new FormatException("fewer than 2 centroids");
            if (o["k"] is { } k && k.GetValue<int>() != centroids.Length / 2) throw new FormatException($"k = {k} but {centroids.Length / 2} centroids");
            if (centroids.Any(v => !float.IsFinite(v) || Math.Abs(v) > 200)) throw new FormatException("a centroid is not a finite ab colour");
            var sizes = o["clusterSizes"]?.AsArray().Select(v => v!.GetValue<long>()).ToArray();
            double inertia = o["inertia"] is { } i ? i.GetValue<double>() : double.NaN;
            return new KMeansColorQuantizer(centroids, inertia, sizes is { Length: > 0 } ? sizes : null) { Provenance = o["provenance"]?.DeepClone() };
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or NullReferenceException)
        {
            throw new BadInputException(path, $"not a valid colour-bins file ({ErrorText.FirstLine(e.Message)})");
        }
    }
}
