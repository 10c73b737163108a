using System.Diagnostics;
using System.Text.Json;
using ColorTrack.Data;
using ColorTrack.Model;
using ColorTrack.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Training;

/// <summary>
/// Trains a <see cref="ColorizationModel"/> on the colorization objective (Adam, a step learning-rate
/// drop), writing into a run folder: config.json, metrics.jsonl and the latest checkpoint, rewritten
/// atomically every <see cref="TrainingConfig.CheckpointEvery"/> steps, at the end and on cancellation.
/// With a validator, the model is scored as a tracker every <see cref="TrainingConfig.ValidateEvery"/>
/// steps (and before the first step); the scores go into metrics.jsonl and the best-scoring weights
/// into best.ctckpt beside the last checkpoint.
/// A run resumed from its checkpoint continues exactly: same weights, optimizer moments, learning
/// rate, torch RNG and data batches as if it had never stopped (on CPU, for a given seed).
/// </summary>
public sealed class ColorizationTrainer
{
    readonly TrainingConfig config;
    readonly float[] centroids;
    readonly Func<long, IClipSource> openSource;
    readonly string runDir;
    readonly ITrainingValidator? validator;

    /// <summary>File name of the best-validating checkpoint in the run folder.</summary>
    public const string BestFileName = "best.ctckpt";

    /// <param name="config">The run's settings.</param>
    /// <param name="centroids">The colour bins (a, b) the clip bins index: float[K*2].</param>
    /// <param name="openSource">Opens the training data stream for a seed (batches of this config's batch size).</param>
    /// <param name="runDir">Run folder: created if missing; holds the checkpoint, the log and the config.</param>
    /// <param name="validator">Scores the model as a tracker every <see cref="TrainingConfig.ValidateEvery"/> steps (optional).</param>
    public ColorizationTrainer(TrainingConfig config, float[] centroids, Func<long, IClipSource> openSource, string runDir, ITrainingValidator? validator = null)
    {
        config.Validate();
        if (centroids.Length < 4 || centroids.Length % 2 != 0)
            throw new ArgumentException($"centroids must hold K >= 2 (a, b) pairs, got {centroids.Length} numbers");
        this.config = config;
        this.centroids = centroids;
        this.openSource = openSource;
        this.runDir = runDir;
        this.validator = config.ValidateEvery > 0 ? validator : null;
    }

    int K => centroids.Length / 2;

    public string CheckpointPath => Path.Combine(runDir, ColorizationCheckpoint.FileName);
    public string BestCheckpointPath => Path.Combine(runDir, BestFileName);

    /// <summary>
    /// Train until <see cref="TrainingConfig.Steps"/> or cancellation. With <paramref name="resume"/>,
    /// continue from the run folder's checkpoint (which must exist and have the same preset); without
    /// it, an existing checkpoint is refused rather than overwritten.
    /// </summary>
    public TrainingOutcome Run(bool resume = false, Action<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        TorchRuntime.EnsureLoaded();
        Directory.CreateDirectory(runDir);
        var device = ComputeDevice.Resolve(config.Device);
        var configJson = JsonSerializer.Serialize(config, RunProvenance.Json);

        ColorizationModel model;
        ColorizationCheckpoint? restored = null;
        long step;
        if (resume)
        {
            if (!File.Exists(CheckpointPath))
                throw new BadInputException(CheckpointPath, "resuming, but the run folder has no checkpoint");
            restored = ColorizationCheckpoint.Load(CheckpointPath, device);
            if (!string.Equals(restored.Preset.Name, config.Preset, StringComparison.OrdinalIgnoreCase))
                throw new BadInputException(CheckpointPath, $"checkpoint was trained with preset '{restored.Preset.Name}', not '{config.Preset}'");
            if (restored.Preset.Frames != config.ModelPreset().Frames)
                throw new BadInputException(CheckpointPath, $"checkpoint was trained on clips of {restored.Preset.Frames} frames, this run is set to {config.ModelPreset().Frames}");
            if (restored.Centroids.Length != centroids.Length)
                throw new BadInputException(CheckpointPath, $"checkpoint has {restored.Centroids.Length / 2} colour bins, the bins given have {K}");
            model = restored.Model;
            step = restored.Step;
        }
        else
        {
            if (File.Exists(CheckpointPath))
                throw new BadInputException(CheckpointPath, "the run folder already holds a checkpoint: resume it, or choose another run folder");
            torch.manual_seed(config.Seed);
            model = new ColorizationModel(config.ModelPreset());
            if (config.InitBackbone is { } pth) model.Backbone.LoadPyTorchStateDict(pth);
            model.to(device);
            step = 0;
        }

        using var _model = model;
        using var optimizer = optim.Adam(model.parameters(), lr: config.LearningRateAt(step));
        if (restored is not null)
        {
            restored.RestoreOptimizer(optimizer);
            restored.RestoreRng();
        }
        using var training = new TrainingStep(model, optimizer, config, device, K);
        AtomicFile.WriteAllText(Path.Combine(runDir, "config.json"), configJson);

        using var log = MetricsLog.Open(runDir, step);
        var wall = log.PreviousWallSeconds;
        void Save(long atStep) => ColorizationCheckpoint.Save(CheckpointPath, model, atStep, centroids, configJson, optimizer);
        if (step == 0 && !resume) Save(0); // a run folder always has a loadable checkpoint

        // The best validation so far (a resumed run remembers the scores of the steps it keeps).
        var best = MetricsLog.ReadValidation(runDir).Where(v => v.Step <= step).Select(v => v.Score.JAndF).DefaultIfEmpty(double.NegativeInfinity).Max();
        void Validate(long atStep)
        {
            if (validator is null) return;
            var score = validator.Score(model, cancel);
            model.train();
            log.AppendValidation(atStep, score);
            Validated?.Invoke(atStep, score);
            if (score.JAndF > best)
            {
                best = score.JAndF;
                ColorizationCheckpoint.Save(BestCheckpointPath, model, atStep, centroids, configJson, optimizer: null);
            }
        }
        if (step == 0 && !resume) Validate(0); // the untrained network's score: where the curve starts

        IClipSource? source = null;
        long sourceSegment = -1;
        var lastLoss = double.NaN;
        model.train();
        bool OutOfTime() => config.MaxTrainingMinutes > 0 && wall >= config.MaxTrainingMinutes * 60;
        try
        {
            while (step < config.Steps && !OutOfTime())
            {
                if (cancel.IsCancellationRequested) break;
                var started = Stopwatch.GetTimestamp();
                source = EnsureSource(source, ref sourceSegment, step, cancel);
                var lr = config.LearningRateAt(step);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;

                using (var scope = NewDisposeScope())
                {
                    ClipBatch batch;
                    try { batch = source.Next(cancel); }
                    catch (OperationCanceledException) { break; }
                    using var _batch = batch;
                    var loss = training.Loss(batch);
                    lastLoss = loss.item<float>();
                    if (!double.IsFinite(lastLoss))
                        throw new TrainingDivergedException(
                            $"training stopped: the loss became {lastLoss} at step {step + 1} (learning rate {lr}); the last good checkpoint is kept at {CheckpointPath} (resume it with a lower learning rate)");
                    training.Update(loss);
                }
                step++;
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                wall += seconds;
                var p = new TrainingProgress(step, config.Steps, lastLoss, lr, config.BatchSize / seconds, wall);
                log.Append(p);
                progress?.Invoke(p);
                var last = step == config.Steps || OutOfTime();
                if (step % config.CheckpointEvery == 0 || last) Save(step);
                if (config.ValidateEvery > 0 && (step % config.ValidateEvery == 0 || last)) Validate(step);
            }
            if (step % config.CheckpointEvery != 0 && step != config.Steps && !OutOfTime()) Save(step); // cancelled between checkpoints
            return new TrainingOutcome(step, step >= config.Steps || OutOfTime(), lastLoss, CheckpointPath);
        }
        finally
        {
            source?.Dispose();
            restored?.Dispose();
        }
    }

    /// <summary>Called after each validation with its step and score (for progress displays).</summary>
    public Action<long, ValidationScore>? Validated { get; set; }

    /// <summary>
    /// The data stream for the segment holding <paramref name="step"/>, positioned at that step: each
    /// segment of <see cref="TrainingConfig.DataSegmentSteps"/> steps is its own seeded stream, so a
    /// resumed run replays exactly the batches an uninterrupted one would see.
    /// </summary>
    IClipSource EnsureSource(IClipSource? current, ref long currentSegment, long step, CancellationToken cancel)
    {
        var segment = step / config.DataSegmentSteps;
        if (current is not null && segment == currentSegment) return current;
        current?.Dispose();
        var source = openSource(SegmentSeed(config.Seed, segment));
        if (source.BatchSize != config.BatchSize)
        {
            source.Dispose();
            throw new ArgumentException($"the clip source gives batches of {source.BatchSize}, the config asks for {config.BatchSize}");
        }
        for (var skip = segment * config.DataSegmentSteps; skip < step; skip++)
            source.Next(cancel).Dispose();
        currentSegment = segment;
        return source;
    }

    /// <summary>A well-mixed seed per (run seed, segment) (SplitMix64 finaliser).</summary>
    public static long SegmentSeed(long seed, long segment)
    {
        unchecked
        {
            var z = (ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)segment + 1;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return (long)((z ^ (z >> 31)) & 0x7FFFFFFFFFFFFFFFUL);
        }
    }
}
