using ColorTrack.Contracts;
using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Tests.Support;
using ColorTrack.Training;
using TorchSharp;

namespace ColorTrack.Tests.Training;

public sealed class ValidationDuringTrainingTests : IDisposable
{
    readonly int threads;

    public ValidationDuringTrainingTests()
    {
        TorchRuntime.EnsureLoaded();
        threads = torch.get_num_threads();
        torch.set_num_threads(1);
    }

    public void Dispose() => torch.set_num_threads(threads);

    const int K = 16;
    static readonly float[] Centroids = Enumerable.Range(0, 2 * K).Select(i => (float)(i * 3 - 40)).ToArray();

    /// <summary>Hands out fixed scores in order and records the step of the model it saw (via a weight checksum).</summary>
    sealed class ScriptedValidator(params double[] scores) : ITrainingValidator
    {
        public readonly List<double> Checksums = [];
        int next;
        public string Description => "scripted";
        public ValidationScore Score(ColorizationModel model, CancellationToken cancel)
        {
            Checksums.Add(model.parameters().Sum(p => p.abs().sum().item<float>()));
            var s = scores[Math.Min(next++, scores.Length - 1)];
            return new ValidationScore(s, s - 0.01, s + 0.01, 0.5);
        }
    }

    static TrainingConfig Config(int steps) => new()
    {
        Preset = "tiny", Steps = steps, BatchSize = 4, Seed = 5, LearningRateDropStep = 1_000_000,
        CheckpointEvery = 2, ValidateEvery = 3,
    };

    static ColorizationTrainer Trainer(TrainingConfig c, string dir, ITrainingValidator v) =>
        new(c, Centroids, seed => new MovingSquaresClipSource(c.BatchSize, 64, 8, K, seed), dir, v);

    [Fact]
    public void Validation_IsLoggedAtStartEveryNStepsAndAtTheEnd_AndTheBestWeightsAreKept()
    {
        using var dir = new TempDir();
        var v = new ScriptedValidator(0.1, 0.4, 0.3, 0.2);
        Trainer(Config(8), dir.Path, v).Run();
        var scores = MetricsLog.ReadValidation(dir.Path);
        Assert.Equal([0L, 3, 6, 8], scores.Select(s => s.Step));
        Assert.Equal([0.1, 0.4, 0.3, 0.2], scores.Select(s => s.Score.JAndF));
        Assert.Equal(8, MetricsLog.Read(dir.Path).Count); // validation lines are not training steps
        using var best = ColorizationCheckpoint.Load(Path.Combine(dir.Path, ColorizationTrainer.BestFileName));
        Assert.Equal(3, best.Step);                        // the best score (0.4) was at step 3
        using var last = ColorizationCheckpoint.Load(Path.Combine(dir.Path, ColorizationCheckpoint.FileName));
        Assert.Equal(8, last.Step);
    }

    [Fact]
    public void Resume_RemembersTheBestScoreSoFar_AndOnlyABetterOneReplacesTheBestWeights()
    {
        using var dir = new TempDir();
        Trainer(Config(4), dir.Path, new ScriptedValidator(0.1, 0.5, 0.2)).Run();  // steps 0, 3, 4: best at 3
        Trainer(Config(8), dir.Path, new ScriptedValidator(0.45, 0.6)).Run(resume: true); // steps 6 (0.45 < 0.5), 8 (0.6)
        Assert.Equal([0L, 3, 4, 6, 8], MetricsLog.ReadValidation(dir.Path).Select(s => s.Step));
        using var best = ColorizationCheckpoint.Load(Path.Combine(dir.Path, ColorizationTrainer.BestFileName));
        Assert.Equal(8, best.Step);
    }

    [Fact]
    public void TimeBudget_EndsTheRunAsFinished()
    {
        using var dir = new TempDir();
        var c = Config(1_000_000) with { MaxTrainingMinutes = 0.02, ValidateEvery = 0 }; // 1.2 s of training
        var outcome = new ColorizationTrainer(c, Centroids, seed => new MovingSquaresClipSource(c.BatchSize, 64, 8, K, seed), dir.Path).Run();
        Assert.True(outcome.Completed);
        Assert.InRange(outcome.Step, 1, 999_999);
        var log = MetricsLog.Read(dir.Path);
        // The run stops at the first step that ends past the budget (on a busy machine that may be step 1).
        Assert.True(log[^1].WallSeconds >= 1.2 && (log.Count == 1 || log[^2].WallSeconds < 1.2));
        using var ck = ColorizationCheckpoint.Load(outcome.CheckpointPath);
        Assert.Equal(outcome.Step, ck.Step);
    }
}
