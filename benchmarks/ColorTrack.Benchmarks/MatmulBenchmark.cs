using ColorTrack.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Benchmarks;

/// <summary>
/// The machine's measured fp32 matrix-multiply peak through libtorch: the denominator for "what
/// fraction of the machine does a training step use". Usage: matmul [--n 2048] [--threads T].
/// </summary>
public static class MatmulBenchmark
{
    public static int Run(string[] args)
    {
        TorchRuntime.EnsureLoaded();
        int n = BenchmarkArgs.Int(args, "--n", 2048);
        int threads = BenchmarkArgs.Int(args, "--threads", Environment.ProcessorCount);
        torch.set_num_threads(threads);
        manual_seed(0);
        using var a = randn(n, n);
        using var b = randn(n, n);
        var secs = Measure.Seconds(() => { using var c = a.matmul(b); }, repeats: 7, warmup: 2);
        double med = Measure.Median(secs);
        double gflops = 2.0 * n * n * n / med / 1e9;
        Console.WriteLine($"matmul {n}x{n} fp32, {threads} threads: median {med * 1e3:F1} ms over {secs.Length} runs = {gflops:F1} GFLOP/s");
        return 0;
    }
}
