using System.Text.Json;
using ColorTrack.Color;

namespace ColorTrack.Benchmarks;

/// <summary>
/// k-means colour bins on the shared ab samples (263,220 points, k = 16, 10 restarts) against
/// scikit-learn's time and inertia from kmeans-reference.json. Usage: kmeans [--restarts 10] [--repeats 5].
/// </summary>
public static class KMeansBenchmark
{
    public static int Run(string[] args)
    {
        int restarts = MatmulBenchmark.ArgInt(args, "--restarts", 10), repeats = MatmulBenchmark.ArgInt(args, "--repeats", 5);
        var ab = AbSampleFile.Read(SharedFolder.Path("fixtures", "ab-samples.f32"));
        using var reference = JsonDocument.Parse(File.ReadAllText(SharedFolder.Path("fixtures", "kmeans-reference.json")));
        double skInertia = reference.RootElement.GetProperty("sklearn_inertia_sum_sq").GetDouble();
        double skSeconds = reference.RootElement.GetProperty("sklearn_seconds_on_2_cores").GetDouble();

        var inertias = new List<double>();
        int seed = 0;
        var secs = Measure.Seconds(() => inertias.Add(KMeansColorQuantizer.Fit(ab, new KMeansOptions(K: 16, Restarts: restarts, Seed: seed++)).Inertia), repeats, warmup: 1);
        double med = Measure.Median(secs), inertia = Measure.Median(inertias.Skip(1).ToList());
        Console.WriteLine($"kmeans k=16 n={ab.Length / 2} restarts={restarts} on {Environment.ProcessorCount} cores: median {med:F3} s over {repeats} runs " +
            $"(scikit-learn {skSeconds:F2} s: {skSeconds / med:F2}x faster)");
        Console.WriteLine($"inertia median {inertia:F1}, worst {inertias.Max():F1} vs scikit-learn {skInertia:F1}: ratio {inertia / skInertia:F5} (goal <= 1.005)");
        return inertias.Max() <= 1.005 * skInertia ? 0 : 1;
    }
}
