using ColorTrack.Data;
using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Tests.Support;
using ColorTrack.Training;
using TorchSharp;
using Xunit.Abstractions;

namespace ColorTrack.Tests.Training;

public sealed class ColorizationTrainerTests : IDisposable
{
    readonly ITestOutputHelper output;
    readonly int threads;

    public ColorizationTrainerTests(ITestOutputHelper output)
    {
        this.output = output;
        TorchRuntime.EnsureLoaded();
        // One torch thread: on a 2-core machine shared with other jobs, OpenMP's spinning barriers make
        // 2 threads up to 25x slower than 1 (measured: tiny step 0.9 s vs 0.037 s). Results are
        // deterministic for either count; both runs of a comparison use the same.
        threads = torch.get_num_threads();
        torch.set_num_threads(1);
    }

    public void Dispose() => torch.set_num_threads(threads);

    const int K = 16;
    static readonly float[] Centroids = Enumerable.Range(0, 2 * K).Select(i => (float)(i * 3 - 40)).ToArray();

    /// <summary>The tiny preset on moving squares, as the trainer tests (and the mixed-precision ones) run it.</summary>
    internal static TrainingConfig Tiny(int steps) => new()
    {
        Preset = "tiny", Steps = steps, BatchSize = 8, Seed = 11, LearningRateDropStep = 1_000_000,
        CheckpointEvery = 1000, DataSegmentSteps = 7,
    };

    internal static ColorizationTrainer Trainer(TrainingConfig c, string dir) =>
        new(c, Centroids, seed => new MovingSquaresClipSource(c.BatchSize, 64, 8, K, seed), dir);

    [Fact]
    public void ShortRun_OnMovingSquares_LearnsToTrack()
    {
        using var dir = new TempDir();
        var outcome = Trainer(Tiny(150), dir.Path).Run();
        Assert.True(outcome.Completed);
        var log = MetricsLog.Read(dir.Path);
        Assert.Equal(150, log.Count);
        var first = log.Take(10).Average(p => p.Loss);
        var last = log.TakeLast(20).Average(p => p.Loss);
        output.WriteLine($"loss: first 10 steps {first:F3}, last 20 steps {last:F3}, ln 16 = {Math.Log(K):F3}");
        // Colour entropy bound: ln 16 = 2.77 for uniform bins; copying colours by tracking goes far below.
        Assert.True(last < 0.5 * first && last < 0.5 * Math.Log(K), $"loss {first:F3} -> {last:F3}");
        using var ck = ColorizationCheckpoint.Load(outcome.CheckpointPath);
        Assert.Equal(150, ck.Step);
        Assert.Equal(Centroids, ck.Centroids);
        Assert.True(File.Exists(Path.Combine(dir.Path, "config.json")));
    }

    [Fact]
    public void Resume_ContinuesExactly_AndTwoRunsOfOneSeedAgree()
    {
        using var whole = new TempDir();
        using var parts = new TempDir();
        var full = Trainer(Tiny(12), whole.Path).Run();
        Assert.True(full.Completed);

        // Stop after 5 steps (Ctrl-C), then resume to the end: 5 is mid data-segment (segments of 7).
        using var cts = new CancellationTokenSource();
        var first = Trainer(Tiny(12), parts.Path).Run(progress: p => { if (p.Step == 5) cts.Cancel(); }, cancel: cts.Token);
        Assert.False(first.Completed);
        Assert.Equal(5, first.Step);
        using (var ck = ColorizationCheckpoint.Load(first.CheckpointPath)) Assert.Equal(5, ck.Step);
        var second = Trainer(Tiny(12), parts.Path).Run(resume: true);
        Assert.True(second.Completed);

        var a = MetricsLog.Read(whole.Path).Select(p => p.Loss).ToArray();
        var b = MetricsLog.Read(parts.Path).Select(p => p.Loss).ToArray();
        Assert.Equal(12, a.Length);
        Assert.Equal(a, b); // bit-identical losses, step by step
        using var ca = ColorizationCheckpoint.Load(full.CheckpointPath);
        using var cb = ColorizationCheckpoint.Load(second.CheckpointPath);
        var sdb = cb.Model.state_dict();
        foreach (var (k, v) in ca.Model.state_dict())
            Assert.True(v.equal(sdb[k]).all().item<bool>(), k);
    }

    [Fact]
    public void InitFrom_StartsFromTheTrainedWeights_AtStepZeroWithAFreshOptimizer()
    {
        using var trained = new TempDir();
        using var tuned = new TempDir();
        var from = Trainer(Tiny(4), trained.Path).Run();
        // A tiny learning rate for one step: the weights stay (to float precision) where they started.
        var c = Tiny(1) with { InitFrom = from.CheckpointPath, LearningRate = 1e-12, LearningRateAfterDrop = 1e-12 };
        var outcome = Trainer(c, tuned.Path).Run();
        using var a = ColorizationCheckpoint.Load(from.CheckpointPath);
        using var b = ColorizationCheckpoint.Load(outcome.CheckpointPath);
        Assert.Equal(1, b.Step); // a new run: step 0 was the start, not the trained run's step 4
        var tunedParams = b.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in a.Model.named_parameters())
            Assert.True(p.allclose(tunedParams[name], rtol: 0, atol: 1e-6), name);
        // ... and not where a fresh model of the same seed would start.
        using var fresh = new TempDir();
        using var f = ColorizationCheckpoint.Load(Trainer(Tiny(1) with { LearningRate = 1e-12, LearningRateAfterDrop = 1e-12 }, fresh.Path).Run().CheckpointPath);
        var freshParams = f.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Contains(a.Model.named_parameters(), p => !p.parameter.allclose(freshParams[p.name], rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void InitFrom_AnotherPreset_IsRefusedNamingTheCheckpoint()
    {
        using var trained = new TempDir();
        using var other = new TempDir();
        var from = Trainer(Tiny(1), trained.Path).Run();
        var e = Assert.Throws<BadInputException>(() => Trainer(Tiny(1) with { Preset = "cpu", InitFrom = from.CheckpointPath }, other.Path).Run());
        Assert.Contains(from.CheckpointPath, e.Message);
        Assert.Contains("train with its preset 'tiny', not 'cpu'", e.Message);
    }

    [Fact]
    public void ExistingCheckpoint_WithoutResume_IsRefused_AndResumeWithoutCheckpointToo()
    {
        using var dir = new TempDir();
        Trainer(Tiny(1), dir.Path).Run();
        Assert.Throws<BadInputException>(() => Trainer(Tiny(2), dir.Path).Run());
        using var empty = new TempDir();
        Assert.Throws<BadInputException>(() => Trainer(Tiny(2), empty.Path).Run(resume: true));
    }

    [Fact]
    public void NonFiniteLoss_StopsWithClearMessage_KeepingLastGoodCheckpoint()
    {
        using var dir = new TempDir();
        var c = Tiny(6) with { CheckpointEvery = 2 };
        var step = 0;
        // Data that turns to NaN from the 4th batch on (as a corrupt video would).
        var trainer = new ColorizationTrainer(c, Centroids, seed => new PoisonedSource(new MovingSquaresClipSource(8, 64, 8, K, seed), () => ++step >= 4), dir.Path);
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Run());
        Assert.Contains("step 4", e.Message);
        Assert.Contains(ColorizationCheckpoint.FileName, e.Message);
        using var ck = ColorizationCheckpoint.Load(Path.Combine(dir.Path, ColorizationCheckpoint.FileName));
        Assert.Equal(2, ck.Step);
        foreach (var (k, v) in ck.Model.state_dict())
            if (v.is_floating_point()) Assert.True(v.isfinite().all().item<bool>(), k);
    }

    [Fact]
    public void LibtorchErrorMidRun_IsSurvivedFromTheLastCheckpoint_AndEndsAsIfUninterrupted()
    {
        using var whole = new TempDir();
        using var hit = new TempDir();
        var c = Tiny(12) with { CheckpointEvery = 4 };
        var full = Trainer(c, whole.Path).Run();
        var batches = 0;
        // The 7th batch drawn throws what TorchSharp throws for a native error, once.
        var trainer = new ColorizationTrainer(c, Centroids, seed => new ThrowingSource(new MovingSquaresClipSource(8, 64, 8, K, seed), () => ++batches == 7), hit.Path);
        var outcome = ColorTrack.Cli.TrainingProgressView.Run(trainer, c, resume: false, CancellationToken.None);
        Assert.True(outcome.Completed);
        Assert.True(batches > 12); // steps 5-6 were redone from the step-4 checkpoint
        Assert.Equal(MetricsLog.Read(whole.Path).Select(p => p.Loss), MetricsLog.Read(hit.Path).Select(p => p.Loss));
        using var ca = ColorizationCheckpoint.Load(full.CheckpointPath);
        using var cb = ColorizationCheckpoint.Load(outcome.CheckpointPath);
        var sdb = cb.Model.state_dict();
        foreach (var (k, v) in ca.Model.state_dict())
            Assert.True(v.equal(sdb[k]).all().item<bool>(), k);
    }

    sealed class ThrowingSource(IClipSource inner, Func<bool> fail) : IClipSource
    {
        public int BatchSize => inner.BatchSize;
        public ClipBatch Next(CancellationToken cancel = default) =>
            fail() ? throw new System.Runtime.InteropServices.ExternalException("Unknown scalar type.") : inner.Next(cancel);
        public void Dispose() => inner.Dispose();
    }

    sealed class PoisonedSource(IClipSource inner, Func<bool> poison) : IClipSource
    {
        public int BatchSize => inner.BatchSize;
        public ClipBatch Next(CancellationToken cancel = default)
        {
            var b = inner.Next(cancel);
            if (poison()) b.Gray.fill_(float.NaN);
            return b;
        }
        public void Dispose() => inner.Dispose();
    }
}
