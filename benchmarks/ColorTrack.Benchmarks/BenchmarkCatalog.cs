namespace ColorTrack.Benchmarks;

/// <summary>A named benchmark: a description and an entry point taking its own arguments.</summary>
public sealed record Benchmark(string Description, Func<string[], int> Run);

/// <summary>Every benchmark, by name.</summary>
public static class BenchmarkCatalog
{
    public static SortedDictionary<string, Benchmark> All() => new()
    {
        ["kmeans"] = new("k-means colour bins (k=16, 10 restarts) on the shared ab samples vs scikit-learn's time and inertia", KMeansBenchmark.Run),
        ["lab"] = new("sRGB -> Lab on 854x480 frames (frames/s) vs OpenCV cvtColor to float Lab", LabBenchmark.Run),
        ["clips"] = new("training clips/s of the whole pipeline on the shared videos with 1 and 2 workers", ClipsBenchmark.Run),
        ["eval-davis"] = new("colortrack eval-davis on the 6 davis2016-train sequences, process start to exit: median wall time, peak RSS", EvalDavisBenchmark.Run),
        ["matmul"] = new("fp32 matrix-multiply peak of this machine through libtorch (GFLOP/s)", MatmulBenchmark.Run),
        ["propagate"] = new("label propagation at 480p with imagenet18 on the longest davis2016-train sequence: s/frame, peak RSS (paper/best settings)", PropagateBenchmark.Run),
        ["train"] = new("colorization training step: clips/s per preset, FLOPs, fraction of matmul peak, ratio to PyTorch", TrainBenchmark.Run),
    };
}
