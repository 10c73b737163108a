using System.Diagnostics;
using System.Text.Json;
using ColorTrack.Contracts;
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
    readonly Func<long, int, int, IClipSource> openShard;
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
        : this(config, centroids, (seed, _, shards) => shards == 1 ? openSource(seed)
            : throw new ArgumentException("this clip source cannot be cut into shards: give the trainer a source that opens one shard of the videos"), runDir, validator)
    {
    }

    /// <param name="config">The run's settings.</param>
    /// <param name="centroids">The colour bins (a, b) the clip bins index: float[K*2].</param>
    /// <param name="openShard">Opens shard s of S of the training data for a seed: batches of BatchSize / S clips from its own
    /// part of the videos (see <see cref="DataParallel"/>); with one shard, the whole data.</param>
    /// <param name="runDir">Run folder: created if missing; holds the checkpoint, the log and the config.</param>
    /// <param name="validator">Scores the model as a tracker every <see cref="TrainingConfig.ValidateEvery"/> steps (optional; rank 0's).</param>
    public ColorizationTrainer(TrainingConfig config, float[] centroids, Func<long, int, int, IClipSource> openShard, string runDir, ITrainingValidator? validator = null)
    {
        config.Validate();
        if (centroids.Length < 4 || centroids.Length % 2 != 0)
            throw new ArgumentException($"centroids must hold K >= 2 (a, b) pairs, got {centroids.Length} numbers");
        this.config = config;
        this.centroids = centroids;
        this.openShard = openShard;
        this.runDir = runDir;
        this.validator = config.ValidateEvery > 0 ? validator : null;
    }

    int K => centroids.Length / 2;

    /// <summary>The ranks and shards this process trains with (null: one process, <see cref="TrainingConfig.MicroBatches"/> shards).</summary>
    public DataParallel? Parallel { get; init; }

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
        var parallel = Parallel ?? new DataParallel(null, config.MicroBatches);
        if (config.BatchSize % parallel.Shards != 0)
            throw BadInputException.Setting("TrainingConfig.BatchSize", $"the batch of {config.BatchSize} clips does not split into {parallel.Shards} equal shards ({parallel.Ranks} ranks x {parallel.MicroBatches} micro-batches)");
        if (parallel.Writes) Directory.CreateDirectory(runDir); // rank 0 writes; the other ranks write nothing
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
            if (parallel.Writes && File.Exists(CheckpointPath))
                throw new BadInputException(CheckpointPath, "the run folder already holds a checkpoint: resume it, or choose another run folder");
            torch.manual_seed(config.Seed);
            model = new ColorizationModel(config.ModelPreset());
            if (config.InitBackbone is { } pth) model.Backbone.LoadPyTorchStateDict(pth);
            if (config.InitFrom is { } from) InitializeFrom(model, from, config, K);
            model.to(device);
            step = 0;
        }
        parallel.Broadcast(model); // every rank starts from rank 0's weights

        using var _model = model;
        using var optimizer = optim.Adam(model.parameters(), lr: config.LearningRateAt(step));
        if (restored is not null)
        {
            restored.RestoreOptimizer(optimizer);
            restored.RestoreRng();
        }
        using var training = new TrainingStep(model, optimizer, config, device, K);
        if (parallel.Writes) AtomicFile.WriteAllText(Path.Combine(runDir, "config.json"), configJson);

        using var log = parallel.Writes ? MetricsLog.Open(runDir, step) : null;
        var wall = log?.PreviousWallSeconds ?? 0;
        void Save(long atStep)
        {
            parallel.CheckIdentical(model, atStep); // every rank, at every checkpoint
            if (parallel.Writes) ColorizationCheckpoint.Save(CheckpointPath, model, atStep, centroids, configJson, optimizer);
        }
        if (step == 0 && !resume) Save(0); // a run folder always has a loadable checkpoint

        // The best validation so far (a resumed run remembers the scores of the steps it keeps).
        var best = parallel.Writes ? MetricsLog.ReadValidation(runDir).Where(v => v.Step <= step).Select(v => v.Score.JAndF).DefaultIfEmpty(double.NegativeInfinity).Max() : double.NegativeInfinity;
        var scorer = parallel.Writes ? validator : null; // rank 0 validates; the others wait at the next step
        void Validate(long atStep)
        {
            if (scorer is null) return;
            var score = scorer.Score(model, cancel);
            model.train();
            log!.AppendValidation(atStep, score);
            Validated?.Invoke(atStep, score);
            if (score.JAndF > best)
            {
                best = score.JAndF;
                ColorizationCheckpoint.Save(BestCheckpointPath, model, atStep, centroids, configJson, optimizer: null);
            }
        }
        if (step == 0 && !resume) Validate(0); // the untrained network's score: where the curve starts

        var shards = parallel.LocalShards.ToArray();
        var sources = new IClipSource?[shards.Length];
        long sourceSegment = -1;
        var lastLoss = double.NaN;
        var (stop, timeUp) = (false, false);
        model.train();
        bool OutOfTime(double seconds) => config.MaxTrainingMinutes > 0 && seconds >= config.MaxTrainingMinutes * 60;
        // One process stops on its own; ranks stop together, at the step where any of them asked to (rank 0 keeps the time).
        var stopping = parallel.Distributed ? CancellationToken.None : cancel;
        try
        {
            while (step < config.Steps && !stop && !timeUp && (parallel.Distributed || !OutOfTime(wall)))
            {
                if (cancel.IsCancellationRequested && !parallel.Distributed) break;
                var started = Stopwatch.GetTimestamp();
                EnsureSources(sources, shards, ref sourceSegment, step, parallel, stopping);
                var lr = config.LearningRateAt(step);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;

                using (var scope = NewDisposeScope())
                {
                    training.ZeroGrad();
                    var start = parallel.BeginStep(model);
                    Tensor[]? statistics = null;
                    double lossSum = 0;
                    var cancelled = false;
                    for (int i = 0; i < shards.Length && !cancelled; i++)
                    {
                        ClipBatch batch;
                        try { batch = sources[i]!.Next(stopping); }
                        catch (OperationCanceledException) { cancelled = true; break; }
                        using var _batch = batch;
                        // Each shard's channel dropout is its own, wherever the shard runs.
                        if (parallel.Shards > 1) torch.manual_seed(SegmentSeed(SegmentSeed(config.Seed, step), 1 + shards[i]));
                        parallel.BeforeShard(model, start);
                        var loss = training.Loss(batch);
                        var value = loss.item<float>();
                        if (!double.IsFinite(value))
                            throw new TrainingDivergedException(
                                $"training stopped: the loss became {value} at step {step + 1} (learning rate {lr}); the last good checkpoint is kept at {CheckpointPath} (resume it with a lower learning rate)");
                        lossSum += value;
                        training.Backward(parallel.Shards == 1 ? loss : loss.Safe() / parallel.Shards);
                        statistics = parallel.AfterShard(model, statistics);
                    }
                    if (cancelled) break;
                    var cancelWish = parallel.Distributed && cancel.IsCancellationRequested;
                    var timeWish = parallel.Distributed && parallel.Writes && OutOfTime(wall + Stopwatch.GetElapsedTime(started).TotalSeconds);
                    (lastLoss, stop, timeUp) = parallel.EndStep(model, statistics, lossSum, cancelWish, timeWish);
                    training.Step();
                }
                step++;
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                wall += seconds;
                var p = new TrainingProgress(step, config.Steps, lastLoss, lr, config.BatchSize / seconds, wall);
                log?.Append(p);
                progress?.Invoke(p);
                if (!parallel.Distributed) timeUp |= OutOfTime(wall); // ranks follow rank 0's clock (EndStep)
                var last = step == config.Steps || stop || timeUp;
                if (step % config.CheckpointEvery == 0 || last) Save(step);
                if (config.ValidateEvery > 0 && (step % config.ValidateEvery == 0 || last)) Validate(step);
            }
            if (!parallel.Distributed && step % config.CheckpointEvery != 0 && step != config.Steps && !timeUp) Save(step); // cancelled between checkpoints
            return new TrainingOutcome(step, step >= config.Steps || timeUp, lastLoss, CheckpointPath);
        }
        finally
        {
            foreach (var source in sources) source?.Dispose();
            restored?.Dispose();
        }
    }

    /// <summary>Called after each validation with its step and score (for progress displays).</summary>
    public Action<long, ValidationScore>? Validated { get; set; }

    /// <summary>
    /// The data streams of this process's shards for the segment holding <paramref name="step"/>,
    /// positioned at that step: each segment of <see cref="TrainingConfig.DataSegmentSteps"/> steps is its
    /// own seeded stream per shard, so a resumed run replays exactly the batches an uninterrupted one would see.
    /// </summary>
    void EnsureSources(IClipSource?[] sources, int[] shards, ref long currentSegment, long step, DataParallel parallel, CancellationToken cancel)
    {
        var segment = step / config.DataSegmentSteps;
        if (sources[0] is not null && segment == currentSegment) return;
        var perShard = config.BatchSize / parallel.Shards;
        for (int i = 0; i < shards.Length; i++)
        {
            sources[i]?.Dispose();
            sources[i] = null;
            var source = openShard(parallel.ShardSeed(SegmentSeed(config.Seed, segment), shards[i]), shards[i], parallel.Shards);
            if (source.BatchSize != perShard)
            {
                source.Dispose();
                throw new ArgumentException($"the clip source gives batches of {source.BatchSize}, the config asks for {perShard} per shard ({config.BatchSize} over {parallel.Shards})");
            }
            for (var skip = segment * config.DataSegmentSteps; skip < step; skip++)
                source.Next(cancel).Dispose();
            sources[i] = source;
        }
        currentSegment = segment;
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

    /// <summary>Copies a trained model's weights into a new run's model (<see cref="TrainingConfig.InitFrom"/>).</summary>
    static void InitializeFrom(ColorizationModel model, string from, TrainingConfig config, int bins)
    {
        var (path, _) = ShippedModel.Resolve(from);
        using var init = ColorizationCheckpoint.Load(path);
        if (!string.Equals(init.Preset.Name, config.Preset, StringComparison.OrdinalIgnoreCase))
            throw new BadInputException(path, $"to start from it, train with its preset '{init.Preset.Name}', not '{config.Preset}'");
        if (init.Preset.Frames != model.Preset.Frames)
            throw new BadInputException(path, $"it was trained on clips of {init.Preset.Frames} frames, this run is set to {model.Preset.Frames}");
        if (config.Objective == "bins" && init.Centroids.Length / 2 != bins)
            throw new BadInputException(path, $"it has {init.Centroids.Length / 2} colour bins, this run {bins}");
        model.load_state_dict(init.Model.state_dict());
    }
}
