namespace ColorTrack.Benchmarks;

/// <summary>A named benchmark: a description and an entry point taking its own arguments.</summary>
public sealed record Benchmark(string Description, Func<string[], int> Run);

/// <summary>Every benchmark, by name.</summary>
public static class BenchmarkCatalog
{
    public static SortedDictionary<string, Benchmark> All() => new()
    {
        ["matmul"] = new("fp32 matrix-multiply peak of this machine through libtorch (GFLOP/s)", MatmulBenchmark.Run),
        ["train"] = new("colorization training step: clips/s per preset, FLOPs, fraction of matmul peak, ratio to PyTorch", TrainBenchmark.Run),
    };
}
