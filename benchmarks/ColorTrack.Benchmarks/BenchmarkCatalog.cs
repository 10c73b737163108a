namespace ColorTrack.Benchmarks;

/// <summary>A named benchmark: a description and an entry point taking its own arguments.</summary>
public sealed record Benchmark(string Description, Func<string[], int> Run);

/// <summary>Every benchmark, by name.</summary>
public static class BenchmarkCatalog
{
    public static SortedDictionary<string, Benchmark> All() => new()
    {
        ["eval-davis"] = new("colortrack eval-davis on the 6 davis2016-train sequences, process start to exit: median wall time, peak RSS", EvalDavisBenchmark.Run),
        ["matmul"] = new("fp32 matrix-multiply peak of this machine through libtorch (GFLOP/s)", MatmulBenchmark.Run),
    };
}
