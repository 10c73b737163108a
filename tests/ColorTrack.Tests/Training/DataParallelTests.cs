using System.Diagnostics;
using System.Text.Json;
using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Tests.Support;
using ColorTrack.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Training;

/// <summary>
/// Data-parallel training (train under mpiexec): two ranks compute what one process computes with two
/// micro-batches, a run resumes under another rank count, and a killed rank ends the job with at most one
/// checkpoint interval lost. The MPI tests run `mpiexec -n 2` with one thread per rank (CI installs mpich).
/// </summary>
public sealed class DataParallelTests(ITestOutputHelper output)
{
    static string[] Tiny(string dir, int steps, int checkpointEvery = 2, params string[] more) =>
    [
        "train", "--preset", "tiny", "--batch", "8", "--synthetic-videos", "8", "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--lr-drop-step", "1000", "--checkpoint-every", checkpointEvery.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--precision", "fp32", "--threads", "1", "--out", dir, .. more,
    ];

    static double[] Losses(string dir) => File.ReadLines(Path.Combine(dir, "metrics.jsonl"))
        .Select(l => JsonDocument.Parse(l).RootElement).Where(r => r.TryGetProperty("loss", out _))
        .Select(r => r.GetProperty("loss").GetDouble()).ToArray();

    static Dictionary<string, Tensor> Weights(string dir)
    {
        using var ck = ColorizationCheckpoint.Load(Path.Combine(dir, ColorizationCheckpoint.FileName));
        return ck.Model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
    }

    void AssertSameRun(string expected, string actual, string what)
    {
        var (a, b) = (Losses(expected), Losses(actual));
        output.WriteLine($"{what}: losses {string.Join(" ", a.Select(x => x.ToString("F5")))} | {string.Join(" ", b.Select(x => x.ToString("F5")))}");
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5 * Math.Abs(a[i]), $"{what}: step {i + 1} loss {a[i]} vs {b[i]}");
        var (wa, wb) = (Weights(expected), Weights(actual));
        double worst = 0;
        foreach (var (k, v) in wa)
        {
            if (!v.is_floating_point()) { Assert.True(v.equal(wb[k]).item<bool>(), k); continue; }
            worst = Math.Max(worst, (v - wb[k]).abs().max().item<float>());
        }
        output.WriteLine($"{what}: largest weight difference {worst:G3}");
        Assert.True(worst < 1e-5, $"{what}: weights differ by {worst}");
    }

    [MpiFact]
    public void TwoRanks_TrainWhatOneProcessTrainsWithTwoMicroBatches_AndResumeUnderAnotherRankCount()
    {
        TorchRuntime.EnsureLoaded();
        using var dir = new TempDir();
        // Two ranks, global batch 8: each rank 4 clips of its own videos, gradients averaged.
        var r = MpiJob.Run(2, Tiny(dir["ranks"], 8));
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("data-parallel: 2 ranks x 1 micro-batch = 2 shards of 4 clips", r.Stdout);
        // Rank 1 wrote nothing: one metrics row per step, only rank 0's files (.lock: its hold on the folder).
        Assert.Equal(8, Losses(dir["ranks"]).Length);
        Assert.Equal([".lock", "bins.json", "checkpoint.ctckpt", "config.json", "metrics.jsonl", "provenance.json", "run.json", "summary.json"],
            Directory.GetFiles(dir["ranks"]).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray());

        // One process, the same 8 clips as two micro-batches of 4 (each its own BatchNorm statistics): the same run.
        var one = CliProcess.Run(Tiny(dir["micro"], 8, more: ["--micro-batches", "2"]));
        Assert.True(one.ExitCode == 0, one.Stderr + one.Stdout);
        AssertSameRun(dir["ranks"], dir["micro"], "2 ranks vs 1 process x 2 micro-batches");

        // Started with 2 ranks, continued by 1 process: the run goes on where it stopped, as if uninterrupted.
        var half = MpiJob.Run(2, Tiny(dir["resumed"], 4));
        Assert.True(half.ExitCode == 0, half.Stderr + half.Stdout);
        var rest = CliProcess.Run(["train", "--resume", "--out", dir["resumed"], "--steps", "8", "--micro-batches", "2", "--threads", "1"]);
        Assert.True(rest.ExitCode == 0, rest.Stderr + rest.Stdout);
        AssertSameRun(dir["ranks"], dir["resumed"], "2 ranks vs 2 ranks then 1 process");
        // And with one shard (another data split, a batch of 8 in one piece) it simply continues.
        var single = CliProcess.Run(["train", "--resume", "--out", dir["resumed"], "--steps", "10", "--micro-batches", "1", "--threads", "1"]);
        Assert.True(single.ExitCode == 0, single.Stderr + single.Stdout);
        Assert.Equal(10, Losses(dir["resumed"]).Length);
    }

    [MpiFact]
    public void KillingOneRank_EndsTheJob_AndResumeLosesAtMostOneCheckpointInterval()
    {
        using var dir = new TempDir();
        const int every = 5;
        var marker = Path.GetFileName(dir.Path);
        using var job = MpiJob.Start(2, Tiny(dir["run"], 100_000, checkpointEvery: every));
        var stdout = job.StandardOutput.ReadToEndAsync();
        var stderr = job.StandardError.ReadToEndAsync();
        var metrics = dir[Path.Combine("run", "metrics.jsonl")];
        var waited = Stopwatch.StartNew();
        double seconds;
        try
        {
            // Lines being appended may be incomplete: count whole ones.
            int Steps() => File.Exists(metrics) ? File.ReadAllText(metrics).Split('\n').Count(l => l.EndsWith('}') && l.Contains("\"loss\"", StringComparison.Ordinal)) : 0;
            while (Steps() < 2 * every + 2 && waited.Elapsed < TimeSpan.FromMinutes(3) && !job.HasExited) Thread.Sleep(200);
            Assert.False(job.HasExited, "the job ended early");
            var ranks = MpiJob.Ranks(marker);
            Assert.True(ranks.ContainsKey(1), $"rank 1 not found among {string.Join(", ", ranks)}");
            Process.GetProcessById(ranks[1]).Kill(); // SIGKILL
            var killed = Stopwatch.StartNew();
            Assert.True(job.WaitForExit(30_000), "the job did not end after a rank was killed");
            seconds = killed.Elapsed.TotalSeconds;
        }
        finally
        {
            if (!job.HasExited) job.Kill(entireProcessTree: true);
        }
        var said = stdout.Result + stderr.Result;
        var reason = said.Split('\n').LastOrDefault(l => l.Contains("EXIT STRING", StringComparison.Ordinal) || l.Contains("error:", StringComparison.Ordinal)) ?? "";
        output.WriteLine($"exit {job.ExitCode} after {seconds:F1} s: {reason.Trim()}");
        Assert.NotEqual(0, job.ExitCode);
        Assert.Contains("Killed (signal 9)", said);
        Assert.True(seconds < 10, $"the job took {seconds:F1} s to end");

        var logged = Losses(dir["run"]).Length;
        using (var ck = ColorizationCheckpoint.Load(dir[Path.Combine("run", ColorizationCheckpoint.FileName)]))
        {
            output.WriteLine($"last logged step {logged}, checkpoint at step {ck.Step}: {logged - ck.Step} steps to redo");
            Assert.True(logged - ck.Step <= every, $"checkpoint at {ck.Step}, {logged} steps logged");
        }
        var resumed = CliProcess.Run(["train", "--resume", "--out", dir["run"], "--steps", (logged + 2).ToString(System.Globalization.CultureInfo.InvariantCulture), "--micro-batches", "2", "--threads", "1"]);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr + resumed.Stdout);
        Assert.Equal(logged + 2, Losses(dir["run"]).Length);
    }

    [Fact]
    public void MicroBatches_AverageTheShardsGradients_AndRunningStatistics()
    {
        TorchRuntime.EnsureLoaded();
        var threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            var config = new TrainingConfig { Preset = "tiny", BatchSize = 8, Precision = ComputePrecision.Fp32 };
            using var clips = new MovingSquaresClipSource(8, 64, 8, 16, 3);
            using var batch = clips.Next(CancellationToken.None);
            var halves = new[] { Half(batch, 0), Half(batch, 4) };

            // By hand: each half from the same weights and statistics, gradients and statistics averaged.
            manual_seed(1);
            using var model = new ColorizationModel(ColorizationPreset.Tiny);
            model.train();
            var start = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
            var grads = new List<Tensor[]>();
            var stats = new List<Tensor[]>();
            foreach (var h in halves)
            {
                model.load_state_dict(start);
                foreach (var p in model.parameters()) p.grad?.zero_();
                using var opt = optim.Adam(model.parameters(), lr: 1e-3);
                using var step = new TrainingStep(model, opt, config, CPU);
                var loss = step.Loss(h);
                opt.zero_grad();
                step.Backward(loss);
                grads.Add(model.parameters().Select(p => p.grad!.clone()).ToArray());
                stats.Add(model.buffers().Where(b => b.is_floating_point()).Select(b => b.clone()).ToArray());
            }

            // The same through DataParallel with two micro-batches in one process.
            model.load_state_dict(start);
            using var adam = optim.Adam(model.parameters(), lr: 1e-3);
            using var training = new TrainingStep(model, adam, config, CPU);
            var parallel = new DataParallel(null, microBatches: 2);
            training.ZeroGrad();
            var begin = parallel.BeginStep(model);
            Tensor[]? sum = null;
            double lossSum = 0;
            foreach (var h in halves)
            {
                parallel.BeforeShard(model, begin);
                var loss = training.Loss(h);
                lossSum += loss.item<float>();
                training.Backward(loss / 2);
                sum = parallel.AfterShard(model, sum);
            }
            parallel.EndStep(model, sum, lossSum, cancelled: false, timeUp: false);
            var ps = model.parameters().ToArray();
            for (int i = 0; i < ps.Length; i++)
                Assert.True(ps[i].grad!.allclose((grads[0][i] + grads[1][i]) / 2, rtol: 1e-4, atol: 1e-7), $"gradient {i}");
            var bs = model.buffers().Where(b => b.is_floating_point()).ToArray();
            for (int i = 0; i < bs.Length; i++)
                Assert.True(bs[i].allclose((stats[0][i] + stats[1][i]) / 2, rtol: 1e-5, atol: 1e-7), $"running statistic {i}");
        }
        finally { torch.set_num_threads(threads); }
    }

    static ColorTrack.Data.ClipBatch Half(ColorTrack.Data.ClipBatch b, int from) =>
        new(b.Gray.narrow(0, from, 4).clone(), b.Bins.narrow(0, from, 4).clone(), b.Chroma?.narrow(0, from, 4).clone(), b.CellLab?.narrow(0, from, 4).clone());
}
