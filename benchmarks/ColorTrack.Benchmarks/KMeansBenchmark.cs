using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ColorTrack.Color;

namespace ColorTrack.Benchmarks;

/// <summary>
/// k-means colour bins on the shared ab samples (263,220 points, k = 16, 10 restarts, one seed) against
/// scikit-learn's KMeans(n_clusters=k, n_init=restarts, random_state=seed) run in the same invocation
/// by benchmarks/peers/kmeans_sklearn.py with the system Python (Debian python3-sklearn), on the same
/// samples and with the same thread count (ours: <see cref="KMeansOptions.Threads"/>; scikit-learn:
/// OMP_NUM_THREADS / OPENBLAS_NUM_THREADS). Both sides: one untimed warm-up fit, then the median of
/// <c>--repeats</c> timed fits (wall and CPU time of the fit alone, not process start or loading).
/// Prints both times and the ratio scikit-learn / ours, both inertias and the ratio ours / scikit-learn
/// (goal &lt;= 1.005), and ours against the fixture's sklearn_inertia_sum_sq (kmeans-reference.json, a
/// reference output). Exit code 1 when an inertia goal fails. Without python3 or scikit-learn it says
/// so and prints no ratio.
/// Usage: kmeans [--restarts 10] [--repeats 5] [--k 16] [--seed 0] [--threads T] [--python /usr/bin/python3]
/// </summary>
public static class KMeansBenchmark
{
    const double InertiaGoal = 1.005;

    public static int Run(string[] args)
    {
        int restarts = BenchmarkArgs.Int(args, "--restarts", 10), repeats = Math.Max(1, BenchmarkArgs.Int(args, "--repeats", 5));
        int k = BenchmarkArgs.Int(args, "--k", 16), seed = BenchmarkArgs.Int(args, "--seed", 0);
        int threads = Math.Max(1, BenchmarkArgs.Int(args, "--threads", Environment.ProcessorCount));
        var python = BenchmarkArgs.Optional(args, "--python") ?? "/usr/bin/python3";
        var samples = SharedFolder.Path("fixtures", "ab-samples.f32");
        var ab = AbSampleFile.Read(samples);
        Console.WriteLine($"kmeans k={k} n={ab.Length / 2} restarts={restarts} seed={seed}, {threads} threads on {Environment.ProcessorCount} cores; " +
            $"each side: 1 warm-up, median of {repeats} fits");

        // Ours, in process.
        var options = new KMeansOptions(K: k, Restarts: restarts, Seed: seed, Threads: threads);
        var inertias = new List<double>();
        var cpu = new List<double>();
        var secs = new List<double>();
        KMeansColorQuantizer.Fit(ab, options); // warm-up
        for (int i = 0; i < repeats; i++)
        {
            var c0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var fit = KMeansColorQuantizer.Fit(ab, options);
            secs.Add(sw.Elapsed.TotalSeconds);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - c0).TotalSeconds);
            inertias.Add(fit.Inertia);
        }
        double med = Measure.Median(secs), medCpu = Measure.Median(cpu), inertia = Measure.Median(inertias);
        Console.WriteLine($"  ours          median {med:F3} s (min {secs.Min():F3}, max {secs.Max():F3}), CPU {medCpu:F3} s; inertia {inertia:F2} (worst {inertias.Max():F2})");

        // scikit-learn, same samples, k, restarts, seed and threads, in a child process.
        bool ok = true;
        var sk = RunSklearn(python, samples, k, restarts, seed, repeats, threads, out var why);
        if (sk == null) Console.WriteLine($"  scikit-learn not run: {why}; no ratio");
        else
        {
            var r = sk.RootElement;
            double skSecs = r.GetProperty("median_seconds").GetDouble(), skCpu = r.GetProperty("median_cpu_seconds").GetDouble();
            double skInertia = r.GetProperty("inertia").GetDouble();
            var skRuns = r.GetProperty("seconds").EnumerateArray().Select(e => e.GetDouble()).ToList();
            var skThreads = string.Join(", ", r.GetProperty("threads").EnumerateObject().Select(p => $"{p.Name} {p.Value}"));
            Console.WriteLine($"  scikit-learn  median {skSecs:F3} s (min {skRuns.Min():F3}, max {skRuns.Max():F3}), CPU {skCpu:F3} s; inertia {skInertia:F2} " +
                $"(sklearn {r.GetProperty("sklearn_version").GetString()}, threads: {skThreads})");
            Console.WriteLine($"  scikit-learn / ours: time {skSecs / med:F2}x, CPU {skCpu / medCpu:F2}x; load average now {Measure.LoadAverage()}");
            double ratio = inertia / skInertia;
            bool pass = ratio <= InertiaGoal;
            ok &= pass;
            Console.WriteLine($"  inertia ours / scikit-learn: {ratio:F5} (goal <= {InertiaGoal}) {(pass ? "ok" : "FAILS")}");
        }

        // A reference output (not a time): scikit-learn 1.2's inertia on these samples, from the fixture.
        using var reference = JsonDocument.Parse(File.ReadAllText(SharedFolder.Path("fixtures", "kmeans-reference.json")));
        double fixture = reference.RootElement.GetProperty("sklearn_inertia_sum_sq").GetDouble();
        double fixtureRatio = inertias.Max() / fixture;
        ok &= fixtureRatio <= InertiaGoal;
        Console.WriteLine($"  inertia ours (worst) / kmeans-reference.json sklearn_inertia_sum_sq {fixture:F2}: {fixtureRatio:F5} (goal <= {InertiaGoal}) {(fixtureRatio <= InertiaGoal ? "ok" : "FAILS")}");
        return ok ? 0 : 1;
    }

    /// <summary>Run benchmarks/peers/kmeans_sklearn.py; its JSON, or null with the reason.</summary>
    static JsonDocument? RunSklearn(string python, string samples, int k, int restarts, int seed, int repeats, int threads, out string why)
    {
        why = "";
        if (!ChildProcess.Exists(python)) { why = $"{python} not found"; return null; }
        var script = RepositoryFile.FindUp(Path.Combine("benchmarks", "peers", "kmeans_sklearn.py"));
        if (script == null) { why = $"benchmarks/peers/kmeans_sklearn.py not found above {AppContext.BaseDirectory}"; return null; }
        var t = threads.ToString(CultureInfo.InvariantCulture);
        var env = new Dictionary<string, string> { ["OMP_NUM_THREADS"] = t, ["OPENBLAS_NUM_THREADS"] = t, ["MKL_NUM_THREADS"] = t, ["PYTHONDONTWRITEBYTECODE"] = "1" };
        string[] a = [script, samples, "--k", k.ToString(CultureInfo.InvariantCulture), "--restarts", restarts.ToString(CultureInfo.InvariantCulture),
            "--seed", seed.ToString(CultureInfo.InvariantCulture), "--repeats", repeats.ToString(CultureInfo.InvariantCulture), "--warmup", "1", "--threads", t];
        var run = ChildProcess.Run(python, a, env);
        var json = run.Output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'));
        JsonDocument? doc = null;
        try { if (json != null) doc = JsonDocument.Parse(json); } catch (JsonException) { }
        if (doc != null && doc.RootElement.TryGetProperty("error", out var e)) { why = e.GetString() ?? "error"; doc.Dispose(); return null; }
        if (!run.Ok || doc == null) { why = $"kmeans_sklearn.py exited {run.ExitCode}: {run.Output.Trim().Split('\n')[^1]}"; doc?.Dispose(); return null; }
        return doc;
    }
}
