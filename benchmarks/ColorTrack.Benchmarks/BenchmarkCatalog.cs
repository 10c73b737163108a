namespace ColorTrack.Benchmarks;

/// <summary>A named benchmark: a description and an entry point taking its own arguments.</summary>
public sealed record Benchmark(string Description, Func<string[], int> Run);

/// <summary>Every benchmark, by name.</summary>
public static class BenchmarkCatalog
{
    public static SortedDictionary<string, Benchmark> All() => new()
    {
        ["matmul"] = new("fp32 matrix-multiply peak of this machine through libtorch (GFLOP/s)", MatmulBenchmark.Run),
        ["propagate"] = new("label propagation at 480p with imagenet18 on the longest davis2016-train sequence: s/frame, peak RSS (paper/best settings)", PropagateBenchmark.Run),
    };
}
