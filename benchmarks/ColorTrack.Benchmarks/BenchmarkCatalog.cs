namespace ColorTrack.Benchmarks;

/// <summary>A named benchmark: a description and an entry point taking its own arguments.</summary>
public sealed record Benchmark(string Description, Func<string[], int> Run);

/// <summary>Every benchmark, by name.</summary>
public static class BenchmarkCatalog
{
    public static SortedDictionary<string, Benchmark> All() => new()
    {
        ["kmeans"] = new("k-means colour bins (k=16, 10 restarts) on the shared ab samples vs scikit-learn run side by side (same threads): time, inertia", KMeansBenchmark.Run),
        ["lab"] = new("sRGB -> Lab on 854x480 frames (frames/s) vs OpenCV cvtColor to float Lab", LabBenchmark.Run),
        ["clips"] = new("training clips/s of the whole pipeline on the shared videos with 1 and 2 workers", ClipsBenchmark.Run),
        ["eval-davis"] = new("colortrack eval-davis vs the official DAVIS evaluator run side by side on davis2016-train and the multi-object fixture: wall, CPU, peak RSS, every J/F value", EvalDavisBenchmark.Run),
        ["matmul"] = new("fp32 matrix-multiply peak of this machine through libtorch (GFLOP/s)", MatmulBenchmark.Run),
        ["propagate"] = new("colortrack track --encoder imagenet18 vs CRW's propagation code on the same davis2016-train sequences: s/frame, peak RSS, J&F of both", PropagateBenchmark.Run),
        ["bf16"] = new("fp32 vs bfloat16: matmul rate, the encoders and a propagation step (GFLOP/s, share of each matmul rate)", PrecisionBenchmark.Run),
        ["scaling"] = new("colortrack track on synthetic clips of 100/1,000/5,000 frames and 480p/720p/1080p: time and peak RSS per case", ScalingBenchmark.Run),
        ["distributed"] = new("data-parallel training under MPI: steps/s and clips/s of 1 rank x all cores vs R ranks sharing them, one MPI_Allreduce per preset gradient size, a projection for 8 and 32 GPUs", DistributedBenchmark.Run),
        ["train"] = new("colorization training step: clips/s per preset, FLOPs, fraction of matmul peak, ratio to PyTorch", TrainBenchmark.Run),
    };
}
