using System.Diagnostics;
using System.Text.Json;
using ColorTrack.Data;
using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Training;
using TorchSharp;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;

namespace ColorTrack.Benchmarks;

/// <summary>
/// Training throughput (clips/s) of the trainer's own step (<see cref="TrainingStep"/>: forward, loss,
/// backward, Adam) on fixed random clips, per preset and precision: fp32, and bf16 mixed precision
/// (bf16 products, fp32 master weights, Adam and loss: <see cref="BFloat16Replica"/>). Each preset
/// trains on its objective (the Lab regression for the Lab presets, colour bins otherwise). Prints the
/// step's FLOPs and the fraction of the machine's fp32 matmul peak, the first losses of every precision
/// from the same weights and clips (mixed precision must follow fp32's), and with --compare-pytorch the
/// same step in PyTorch fp32 (benchmarks/pytorch/paper_step.py: paper and small-lab4) run side by side.
/// Usage: train [--preset paper,small-lab4] [--precision fp32,bf16] [--batch 8] [--steps 3] [--threads T]
///              [--compare-pytorch] [--python /usr/bin/python3]
/// </summary>
public static class TrainBenchmark
{
    public static int Run(string[] args)
    {
        TorchRuntime.EnsureLoaded();
        var presets = BenchmarkArgs.String(args, "--preset", "paper,small-lab4").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var precisions = BenchmarkArgs.String(args, "--precision", "fp32,bf16").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var batch = BenchmarkArgs.Int(args, "--batch", 8);
        var steps = BenchmarkArgs.Int(args, "--steps", 3);
        var threads = BenchmarkArgs.Int(args, "--threads", Environment.ProcessorCount);
        torch.set_num_threads(threads);

        var (peak, peakCpu) = MatmulPeakGflops();
        Console.WriteLine($"machine: fp32 matmul 2048x2048, {threads} threads, median of 7: {peak:F1} GFLOP/s wall, {peakCpu:F1} GFLOP per CPU-second; native bfloat16: {(ComputePrecision.CpuHasBFloat16 ? "yes" : "no")}");
        var exit = 0;
        foreach (var name in presets)
        {
            var preset = ColorizationPreset.Named(name);
            var flops = TrainStepFlops.For(preset, batch);
            var rates = new Dictionary<string, (double ClipsPerSecond, double CpuSeconds)>();
            var losses = new Dictionary<string, float[]>();
            foreach (var precision in precisions)
            {
                var (secs, cpu, loss) = StepSeconds(preset, batch, steps, precision);
                var med = Measure.Median(secs);
                var medCpu = Measure.Median(cpu);
                var gflops = flops.Step / med / 1e9;
                rates[precision] = (batch / med, medCpu);
                losses[precision] = loss;
                Console.WriteLine($"{preset.Name,-10} {precision} {preset.InputSize}x{preset.InputSize} batch {batch} ({Objective(preset)}): median {med:F3} s/step over {secs.Length} steps " +
                                  $"[{string.Join(", ", secs.Select(x => x.ToString("F3")))}] = {batch / med:F2} clips/s; " +
                                  $"{flops.Step / 1e9:F1} GFLOP/step (backbone {3 * flops.BackboneForward / 1e9:F1}, head {3 * flops.HeadForward / 1e9:F1}, affinity {3 * flops.AffinityForward / 1e9:F2}) " +
                                  $"-> {gflops:F1} GFLOP/s = {gflops / peak:P0} of fp32 matmul peak; CPU time {medCpu:F3} s/step; peak RSS {Measure.PeakRssMiB():F0} MiB");
            }
            if (rates.TryGetValue(ComputePrecision.Fp32, out var fp32))
                foreach (var (precision, r) in rates.Where(kv => kv.Key != ComputePrecision.Fp32))
                    Console.WriteLine($"{preset.Name,-10} {precision} / fp32: {r.ClipsPerSecond / fp32.ClipsPerSecond:F2}x clips/s, {fp32.CpuSeconds / r.CpuSeconds:F2}x by CPU time; losses step by step " +
                                      string.Join("; ", losses.Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.Select(l => l.ToString("F4")))}]")));
            if (args.Contains("--compare-pytorch") && preset.Name is "paper" or "small-lab4")
            {
                var py = PyTorchStep(args, preset.Name, batch, steps, threads);
                if (py is null) { exit = 1; continue; }
                var (pyRate, pyCpu, version) = py.Value;
                Console.WriteLine($"{preset.Name,-10} pytorch {version} fp32 batch {batch}: {pyRate:F2} clips/s; CPU time {pyCpu:F3} s/step");
                foreach (var (precision, r) in rates)
                    Console.WriteLine($"{preset.Name,-10} ratio ours {precision} / PyTorch fp32: {r.ClipsPerSecond / pyRate:F2}x by clips/s, {pyCpu / r.CpuSeconds:F2}x by CPU time");
            }
        }
        return exit;
    }

    static string Objective(ColorizationPreset preset) => preset.Backbone.InChannels == 3 ? "lab" : "bins";

    /// <summary>The same step in PyTorch fp32, run now: (clips/s, CPU s/step, torch version), or null when it cannot run.</summary>
    static (double ClipsPerSecond, double CpuSeconds, string Version)? PyTorchStep(string[] args, string preset, int batch, int steps, int threads)
    {
        var python = BenchmarkArgs.String(args, "--python", "/usr/bin/python3");
        var script = RepositoryFile.FindUp(Path.Combine("benchmarks", "pytorch", "paper_step.py")) ?? Path.Combine("benchmarks", "pytorch", "paper_step.py");
        var psi = new ProcessStartInfo(python, $"\"{script}\" --preset {preset} --batch {batch} --steps {steps} --threads {threads}") { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var line = p.StandardOutput.ReadToEnd().Trim().Split('\n').Last();
        p.WaitForExit();
        if (p.ExitCode != 0) { Console.WriteLine($"PyTorch reference failed (exit {p.ExitCode}); is python3-torch installed (apt-get install python3-torch)?"); return null; }
        var py = JsonDocument.Parse(line).RootElement;
        return (py.GetProperty("clips_per_second").GetDouble(), py.GetProperty("median_cpu_seconds").GetDouble(), py.GetProperty("torch").GetString() ?? "?");
    }

    /// <summary>
    /// Wall-clock and process CPU seconds of each timed step (after one warm-up step), and the loss of
    /// every step: the trainer's own <see cref="TrainingStep"/> on fixed random clips, same seed for every precision.
    /// </summary>
    static (double[] Wall, double[] Cpu, float[] Losses) StepSeconds(ColorizationPreset preset, int batch, int steps, string precision)
    {
        manual_seed(0);
        var config = new TrainingConfig { Preset = preset.Name, BatchSize = batch, Objective = Objective(preset), Precision = precision };
        var device = torch.CPU;
        using var model = new ColorizationModel(preset);
        model.train();
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        using var step = new TrainingStep(model, optimizer, config, device);
        long t = preset.Frames, size = preset.InputSize, cells = preset.FeatureSize;
        static Tensor Uniform(params long[] shape) => rand(shape).mul_(S(2)).sub_(S(1)); // in [-1, 1]
        var lab = preset.Backbone.InChannels == 3;
        using var clips = new ClipBatch(
            Uniform(batch, t, 1, size, size),                                          // L on the network scale
            randint(0, 16, [batch, t, cells, cells]),
            lab ? Uniform(batch, t, 2, size, size) : null,                             // a, b
            lab ? Uniform(batch, t, 3, cells, cells) : null);                          // cell colours
        var losses = new List<float>();
        var cpu = new List<double>();
        var self = Process.GetCurrentProcess();
        var n = 0;
        var wall = Measure.Seconds(() =>
        {
            self.Refresh();
            var cpu0 = self.TotalProcessorTime;
            using (var scope = NewDisposeScope())
            {
                var loss = step.Loss(clips);
                losses.Add(loss.item<float>());
                step.Update(loss);
            }
            self.Refresh();
            if (n++ >= 1) cpu.Add((self.TotalProcessorTime - cpu0).TotalSeconds); // the first call is the warm-up
        }, repeats: steps, warmup: 1);
        return (wall, cpu.ToArray(), losses.ToArray());
    }

    /// <summary>fp32 2048^3 matmul rate: GFLOP per wall second and per CPU second (the latter is robust to other jobs).</summary>
    static (double Wall, double Cpu) MatmulPeakGflops()
    {
        using var a = randn(2048, 2048);
        using var b = randn(2048, 2048);
        var self = Process.GetCurrentProcess();
        var cpu = new List<double>();
        var wall = Measure.Median(Measure.Seconds(() =>
        {
            self.Refresh();
            var c0 = self.TotalProcessorTime;
            using (var c = a.matmul(b)) { }
            self.Refresh();
            cpu.Add((self.TotalProcessorTime - c0).TotalSeconds);
        }, repeats: 7, warmup: 2));
        var flops = 2.0 * 2048 * 2048 * 2048;
        return (flops / wall / 1e9, flops / Measure.Median(cpu.Skip(2).ToArray()) / 1e9);
    }
}
