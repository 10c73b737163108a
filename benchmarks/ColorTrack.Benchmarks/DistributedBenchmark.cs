using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Training;

namespace ColorTrack.Benchmarks;

/// <summary>
/// Data-parallel training under MPI, measured, and what it predicts for GPUs:
/// 1. Throughput: `colortrack train` (synthetic videos, the real step, checkpoints and all) as 1 rank
///    with every core against R ranks sharing the cores (threads = cores / ranks), global batch fixed:
///    steps/s and clips/s from the run's own metrics.jsonl (median step interval after a warm-up).
/// 2. The all-reduce: the time of one MPI_Allreduce (sum, float32, in place, as
///    <see cref="ColorTrack.Training.DataParallel"/> does once per step) of each preset's gradient size,
///    and of a ladder of sizes from which latency a and bandwidth b are fitted (t = a + bytes / b).
/// 3. A projection for 8 and 32 GPUs from those figures and the FLOPs of a step, under stated
///    assumptions (GPU rate, PCIe and network bandwidth); no GPU was measured by it.
/// Usage: distributed [--preset small-lab4] [--steps 40] [--ranks 1,2] [--cores N] [--batch 8]
///                    [--gpu-tflops 100] [--cli ColorTrack.Cli.dll] [--mpiexec /usr/bin/mpiexec.hydra]
/// </summary>
public static class DistributedBenchmark
{
    const string Worker = "--allreduce-worker";

    public static int Run(string[] args)
    {
        if (args.Contains(Worker)) return AllReduceWorker(args);
        var preset = ColorizationPreset.Named(BenchmarkArgs.String(args, "--preset", "small-lab4"));
        var steps = BenchmarkArgs.Int(args, "--steps", 40);
        var batch = BenchmarkArgs.Int(args, "--batch", 8);
        var cores = BenchmarkArgs.Int(args, "--cores", Environment.ProcessorCount);
        var ranks = BenchmarkArgs.String(args, "--ranks", cores >= 8 ? "1,2,4,8" : "1,2").Split(',').Select(int.Parse).ToArray();
        var gpuTflops = double.Parse(BenchmarkArgs.String(args, "--gpu-tflops", "100"), CultureInfo.InvariantCulture);
        var cli = BenchmarkArgs.String(args, "--cli", RepositoryFile.FindUp(Path.Combine("lib", "ColorTrack.Cli", "bin", "Release", "net10.0", "ColorTrack.Cli.dll")) ?? "");
        var mpiexec = BenchmarkArgs.String(args, "--mpiexec", "/usr/bin/mpiexec.hydra");
        if (!File.Exists(cli)) { Console.Error.WriteLine("distributed: ColorTrack.Cli.dll not found; build Release first or pass --cli"); return 2; }
        if (!File.Exists(mpiexec)) { Console.Error.WriteLine($"distributed: {mpiexec} not found (apt-get install mpich) or pass --mpiexec"); return 2; }
        Console.WriteLine($"machine: {cores} cores, load {Measure.LoadAverage()}; {preset.Name}, global batch {batch}, {steps} steps per run");

        // 1. Throughput, 1 rank x all cores against R ranks x cores/R threads.
        var work = Directory.CreateTempSubdirectory("colortrack-bench-distributed-");
        var rates = new Dictionary<int, double>();
        try
        {
            foreach (var r in ranks)
            {
                var threads = Math.Max(1, cores / r);
                var dir = Path.Combine(work.FullName, $"r{r}");
                string[] train = ["train", "--preset", preset.Name, "--synthetic-videos", "16", "--batch", batch.ToString(CultureInfo.InvariantCulture),
                    "--steps", steps.ToString(CultureInfo.InvariantCulture), "--lr-drop-step", "1000000", "--checkpoint-every", "1000000",
                    "--threads", threads.ToString(CultureInfo.InvariantCulture), "--seed", "0", "--out", dir];
                var run = r == 1
                    ? ChildProcess.Run("dotnet", [cli, .. train])
                    : ChildProcess.Run(mpiexec, ["-n", r.ToString(CultureInfo.InvariantCulture), "dotnet", cli, .. train]);
                if (!run.Ok) { Console.Error.WriteLine($"distributed: train with {r} rank(s) exited {run.ExitCode}:\n{run.Output}"); return 1; }
                var interval = StepInterval(Path.Combine(dir, "metrics.jsonl"));
                rates[r] = 1 / interval;
                Console.WriteLine($"{r} rank(s) x {threads} thread(s): median step {interval:F3} s = {1 / interval:F2} steps/s, {batch / interval:F1} clips/s" +
                                  (r == ranks[0] ? "" : $" ({rates[r] / rates[ranks[0]]:F2}x of {ranks[0]} rank(s))") + $"; run wall {run.Seconds:F0} s, CPU {run.CpuSeconds:F0} s");
            }
        }
        finally { work.Delete(recursive: true); }

        // 2. One all-reduce per preset's gradient size, and the size ladder, with 2 ranks (the most that
        // leaves a core each here; pass --ranks to measure more where there are cores).
        var exchange = ChildProcess.Run(mpiexec, ["-n", "2", "dotnet", typeof(DistributedBenchmark).Assembly.Location, "distributed", Worker]);
        if (!exchange.Ok) { Console.Error.WriteLine($"distributed: all-reduce worker exited {exchange.ExitCode}:\n{exchange.Output}"); return 1; }
        var lines = exchange.Output.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var ladder = lines.Where(l => l.GetProperty("kind").GetString() == "size")
            .Select(l => (Bytes: l.GetProperty("floats").GetDouble() * 4, Seconds: l.GetProperty("seconds").GetDouble())).ToList();
        var (latency, bandwidth) = Fit(ladder);
        Console.WriteLine($"MPI_Allreduce (sum, float32, 2 ranks, shared memory), median of 20: " +
                          string.Join(", ", ladder.Select(p => $"{Size(p.Bytes)} {p.Seconds * 1e3:F3} ms")) +
                          $"; fitted t = {latency * 1e6:F1} us + bytes / {bandwidth / 1e9:F2} GB/s");
        var gradients = new Dictionary<string, (double Bytes, double Seconds)>();
        foreach (var l in lines.Where(l => l.GetProperty("kind").GetString() == "preset"))
        {
            var name = l.GetProperty("preset").GetString()!;
            gradients[name] = (l.GetProperty("floats").GetDouble() * 4, l.GetProperty("seconds").GetDouble());
            var share = name == preset.Name && rates.TryGetValue(2, out var two) ? $" = {gradients[name].Seconds * two:P1} of a 2-rank step" : "";
            Console.WriteLine($"  {name,-10} gradients + BatchNorm statistics {Size(gradients[name].Bytes)}: {gradients[name].Seconds * 1e3:F2} ms per step{share}");
        }

        // 3. Projection: weak scaling (batch per GPU fixed), one all-reduce per step, no overlap with backward.
        Console.WriteLine();
        Console.WriteLine($"Projection (assumptions: {gpuTflops:F0} TFLOP/s sustained per GPU on the step's FLOPs, batch {batch} per GPU; " +
                          "gradients copied GPU->host->GPU at 25 GB/s each way (PCIe 5, not CUDA-aware MPI); ring all-reduce moving 2(N-1)/N of the bytes per rank, " +
                          $"within a node at the bandwidth fitted here ({bandwidth / 1e9:F1} GB/s) with {latency * 1e6:F0} us per hop; across nodes 8 GPUs share one 200 Gb/s NIC (25 GB/s, 3.1 GB/s per GPU) with 5 us per hop):");
        Console.WriteLine($"{"preset",-10} {"GFLOP/step",10} {"compute ms",10} {"8 GPUs: comm ms",16} {"efficiency",10} {"32 GPUs: comm ms",17} {"efficiency",10}");
        foreach (var (name, g) in gradients)
        {
            var compute = TrainStepFlops.For(ColorizationPreset.Named(name), batch).Step / (gpuTflops * 1e12);
            double Comm(int n, double bytesPerSecond, double hop) => 2 * g.Bytes / 25e9 + 2 * (n - 1) * hop + 2.0 * (n - 1) / n * g.Bytes / bytesPerSecond;
            var (c8, c32) = (Comm(8, bandwidth, latency), Comm(32, 25e9 / 8, 5e-6));
            Console.WriteLine($"{name,-10} {TrainStepFlops.For(ColorizationPreset.Named(name), batch).Step / 1e9,10:F1} {compute * 1e3,10:F2} {c8 * 1e3,16:F2} {compute / (compute + c8),10:P0} {c32 * 1e3,17:F2} {compute / (compute + c32),10:P0}");
        }
        return 0;
    }

    /// <summary>Median seconds between consecutive steps in metrics.jsonl, after the first 5 (start-up, first batches).</summary>
    static double StepInterval(string metrics)
    {
        var wall = File.ReadLines(metrics).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.TryGetProperty("wallSeconds", out _)).Select(r => r.GetProperty("wallSeconds").GetDouble()).ToArray();
        if (wall.Length < 8) throw new InvalidOperationException($"{metrics}: too few steps to time ({wall.Length})");
        return Measure.Median(wall.Skip(5).Zip(wall.Skip(6), (a, b) => b - a).ToArray());
    }

    /// <summary>
    /// t = a + bytes / b: the latency a is the smallest message's time, the bandwidth b the least-squares
    /// slope over the messages of 1 MiB and more (where the bytes, not the handshakes, take the time).
    /// </summary>
    static (double Latency, double BytesPerSecond) Fit(IReadOnlyList<(double Bytes, double Seconds)> points)
    {
        var large = points.Where(p => p.Bytes >= 1 << 20).ToList();
        double n = large.Count, sx = large.Sum(p => p.Bytes), sy = large.Sum(p => p.Seconds);
        double sxx = large.Sum(p => p.Bytes * p.Bytes), sxy = large.Sum(p => p.Bytes * p.Seconds);
        var slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return (points.MinBy(p => p.Bytes).Seconds, 1 / slope);
    }

    static string Size(double bytes) => bytes >= 1 << 20 ? $"{bytes / (1 << 20):F1} MiB" : $"{bytes / 1024:F0} KiB";

    /// <summary>
    /// Under mpiexec: time MPI_Allreduce of each preset's step payload (every parameter's gradient, the
    /// BatchNorm running statistics, 3 floats of loss and stop flags) and of a size ladder; rank 0 prints JSON lines.
    /// </summary>
    static int AllReduceWorker(string[] args)
    {
        var world = Mpi.Initialize() ?? throw new InvalidOperationException("the all-reduce worker runs under mpiexec with 2 or more ranks");
        TorchRuntime.EnsureLoaded();
        var cases = ColorizationPreset.All.Select(p => ("preset", p.Name, Floats(p)))
            .Concat(new long[] { 1 << 10, 1 << 14, 1 << 18, 1 << 20, 1 << 22, 1 << 24 }.Select(n => ("size", "", n)));
        foreach (var (kind, name, floats) in cases)
        {
            var buffer = new float[floats];
            var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
            try
            {
                var times = new List<double>();
                for (int i = 0; i < 23; i++)
                {
                    world.Barrier("all-reduce benchmark");
                    var sw = Stopwatch.StartNew();
                    world.SumInPlace(handle.AddrOfPinnedObject(), floats, "all-reduce benchmark");
                    var t = world.Max(sw.Elapsed.TotalSeconds, "all-reduce time"); // the slowest rank's time
                    if (i >= 3) times.Add(t);
                }
                if (world.Rank == 0)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"kind\":\"{kind}\",\"preset\":\"{name}\",\"floats\":{floats},\"seconds\":{Measure.Median(times):R}}}"));
            }
            finally { handle.Free(); }
        }
        return 0;
    }

    /// <summary>What one step all-reduces for a preset (<see cref="DataParallel.ExchangedFloats"/>).</summary>
    static long Floats(ColorizationPreset preset)
    {
        using var model = new ColorizationModel(preset);
        return DataParallel.ExchangedFloats(model);
    }
}
