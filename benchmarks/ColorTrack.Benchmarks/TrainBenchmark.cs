using System.Diagnostics;
using System.Text.Json;
using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Benchmarks;

/// <summary>
/// Training throughput (clips/s) of one colorization step — forward, loss, backward, Adam — on fixed
/// random clips, per preset; the step's FLOPs (<see cref="TrainStepFlops"/>) and the fraction of the
/// machine's fp32 matmul peak it reaches; with --compare-pytorch, the same paper step in PyTorch
/// (benchmarks/pytorch/paper_step.py) run side by side, and the ratio TorchSharp / PyTorch.
/// --bf16 adds each preset's step with the model and the clips in bfloat16 (the whole step, Adam
/// included: the speed a bf16 step could reach; its loss is printed beside fp32's first losses).
/// Usage: train [--preset paper,small] [--batch 8] [--steps 3] [--threads T] [--compare-pytorch] [--bf16]
///              [--python /usr/bin/python3]
/// </summary>
public static class TrainBenchmark
{
    public static int Run(string[] args)
    {
        TorchRuntime.EnsureLoaded();
        var presets = BenchmarkArgs.String(args, "--preset", "paper,small").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var batch = BenchmarkArgs.Int(args, "--batch", 8);
        var steps = BenchmarkArgs.Int(args, "--steps", 3);
        var threads = BenchmarkArgs.Int(args, "--threads", Environment.ProcessorCount);
        torch.set_num_threads(threads);

        var (peak, peakCpu) = MatmulPeakGflops();
        Console.WriteLine($"machine: fp32 matmul 2048x2048, {threads} threads, median of 7: {peak:F1} GFLOP/s wall, {peakCpu:F1} GFLOP per CPU-second");
        double? paperClipsPerSecond = null;
        var paperCpu = double.NaN;
        foreach (var name in presets)
        {
            var preset = ColorizationPreset.Named(name);
            var (secs, cpu) = StepSeconds(preset, batch, steps);
            var med = Measure.Median(secs);
            var medCpu = Measure.Median(cpu);
            var flops = TrainStepFlops.For(preset, batch);
            var gflops = flops.Step / med / 1e9;
            Console.WriteLine($"{preset.Name,-6} {preset.InputSize}x{preset.InputSize} batch {batch}: median {med:F3} s/step over {secs.Length} steps " +
                              $"[{string.Join(", ", secs.Select(s => s.ToString("F3")))}] = {batch / med:F2} clips/s; " +
                              $"{flops.Step / 1e9:F1} GFLOP/step (backbone {3 * flops.BackboneForward / 1e9:F1}, 3D head {3 * flops.HeadForward / 1e9:F1}, affinity {3 * flops.AffinityForward / 1e9:F2}) " +
                              $"-> {gflops:F1} GFLOP/s = {gflops / peak:P0} of matmul peak by wall time; CPU time {medCpu:F3} s/step -> {flops.Step / medCpu / 1e9:F1} GFLOP per CPU-second = {flops.Step / medCpu / 1e9 / peakCpu:P0} of matmul's; peak RSS {Measure.PeakRssMiB():F0} MiB");
            if (preset == ColorizationPreset.Paper) (paperClipsPerSecond, paperCpu) = (batch / med, medCpu);
            if (args.Contains("--bf16"))
            {
                var (bsecs, _) = StepSeconds(preset, batch, steps, ScalarType.BFloat16);
                var bmed = Measure.Median(bsecs);
                Console.WriteLine($"{preset.Name,-6} bf16 step: median {bmed:F3} s/step = {batch / bmed:F2} clips/s = {flops.Step / bmed / 1e9:F1} GFLOP/s; bf16 / fp32 speed {med / bmed:F2}x; " +
                                  $"losses fp32 [{string.Join(", ", LastLosses.fp32.Select(l => l.ToString("F4")))}], bf16 [{string.Join(", ", LastLosses.bf16.Select(l => l.ToString("F4")))}]");
            }
        }

        if (args.Contains("--compare-pytorch"))
        {
            if (paperClipsPerSecond is null) { Console.WriteLine("--compare-pytorch needs the paper preset in --preset"); return 2; }
            var python = BenchmarkArgs.String(args, "--python", "/usr/bin/python3");
            var script = RepositoryFile.FindUp(Path.Combine("benchmarks", "pytorch", "paper_step.py")) ?? Path.Combine("benchmarks", "pytorch", "paper_step.py");
            var psi = new ProcessStartInfo(python, $"\"{script}\" --batch {batch} --steps {steps} --threads {threads}") { RedirectStandardOutput = true };
            using var p = Process.Start(psi)!;
            var line = p.StandardOutput.ReadToEnd().Trim().Split('\n').Last();
            p.WaitForExit();
            if (p.ExitCode != 0) { Console.WriteLine($"PyTorch reference failed (exit {p.ExitCode}); is python3-torch installed?"); return 1; }
            var py = JsonDocument.Parse(line).RootElement;
            var pyRate = py.GetProperty("clips_per_second").GetDouble();
            var pyCpu = py.GetProperty("median_cpu_seconds").GetDouble();
            Console.WriteLine($"pytorch {py.GetProperty("torch").GetString()} paper batch {batch}: median {py.GetProperty("median_seconds").GetDouble():F3} s/step = {pyRate:F2} clips/s; CPU time {pyCpu:F3} s/step");
            Console.WriteLine($"ratio TorchSharp / PyTorch (paper preset): {paperClipsPerSecond / pyRate:F2} by wall-clock clips/s, {pyCpu / paperCpu:F2} by CPU time per step " +
                              "(on a shared machine the CPU-time ratio is the steadier one)");
        }
        return 0;
    }

    /// <summary>
    /// Wall-clock and process CPU seconds of each timed step (after one warm-up step), the same work
    /// as ColorizationTrainer's loop.
    /// </summary>
    static (double[] Wall, double[] Cpu) StepSeconds(ColorizationPreset preset, int batch, int steps, ScalarType dtype = ScalarType.Float32)
    {
        manual_seed(0);
        using var model = new ColorizationModel(preset);
        model.to(dtype);
        model.train();
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        using var gray = (rand(new long[] { batch, preset.Frames, preset.Backbone.InChannels, preset.InputSize, preset.InputSize }) * 2 - 1).to(dtype); // gray, or Lab for the lab presets
        var losses = dtype == ScalarType.BFloat16 ? LastLosses.bf16 : LastLosses.fp32;
        losses.Clear();
        using var bins = randint(0, 16, new long[] { batch, preset.Frames, preset.FeatureSize, preset.FeatureSize });
        var cpu = new List<double>();
        var self = Process.GetCurrentProcess();
        var step = 0;
        var wall = Measure.Seconds(() =>
        {
            self.Refresh();
            var cpu0 = self.TotalProcessorTime;
            using (var scope = NewDisposeScope())
            {
                var loss = ColorizationObjective.Loss(model.forward(gray), bins, 16);
                losses.Add(loss.to(ScalarType.Float32).item<float>());
                optimizer.zero_grad();
                loss.backward();
                CollectionFreeRegion.Run(() => optimizer.step()); // as the trainer steps (Runtime/Scalars.cs)
            }
            self.Refresh();
            if (step++ >= 1) cpu.Add((self.TotalProcessorTime - cpu0).TotalSeconds); // the first call is the warm-up
        }, repeats: steps, warmup: 1);
        return (wall, cpu.ToArray());
    }

    /// <summary>The losses of the last StepSeconds call of each precision (same seed, same clips).</summary>
    static readonly (List<float> fp32, List<float> bf16) LastLosses = ([], []);

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
