using System.CommandLine;
using System.Runtime.InteropServices;
using ColorTrack.Color;
using ColorTrack.Data;
using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Training;
using Spectre.Console;

namespace ColorTrack.Cli.Commands;

/// <summary>
/// `colortrack train`: train the colorization model into a run folder (config, provenance, bins,
/// metrics.jsonl, checkpoint; summary.json marks a finished run). Without --videos it trains on
/// synthetic videos generated in memory. Ctrl-C (or SIGTERM) saves a checkpoint; --resume continues it.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var d = new TrainingConfig();
        var videos = new Option<string[]>("--videos") { Description = "Training videos: files, image folders, DAVIS roots, folders or .txt lists (default: synthetic videos)", AllowMultipleArgumentsPerToken = true };
        var bins = new Option<string?>("--bins") { Description = "Colour bins (JSON from `colortrack quantize`); required with --videos, fitted on the data when omitted for synthetic videos" };
        var preset = new Option<string>("--preset") { Description = $"Model size: {string.Join(", ", ColorizationPreset.All.Select(p => $"{p.Name} ({p.Description})"))}", DefaultValueFactory = _ => d.Preset };
        var steps = new Option<int>("--steps") { Description = "Total optimizer steps (paper: 400000)", DefaultValueFactory = _ => d.Steps };
        var output = new Option<string>("--out") { Description = "Run folder (created; holds the checkpoint, metrics and config)", Required = true };
        var batch = new Option<int>("--batch") { Description = "Clips per step (paper: 32)", DefaultValueFactory = _ => d.BatchSize };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate before the drop (paper: 1e-3)", DefaultValueFactory = _ => d.LearningRate };
        var lrAfter = new Option<double>("--lr-after-drop") { Description = "Learning rate after the drop (paper: 1e-4)", DefaultValueFactory = _ => d.LearningRateAfterDrop };
        var lrDrop = new Option<int?>("--lr-drop-step") { Description = "Step of the learning-rate drop (default: 15% of --steps, as the paper's 60k of 400k)" };
        var seed = new Option<long>("--seed") { Description = "Seed of the initialisation and the data", DefaultValueFactory = _ => d.Seed };
        var device = new Option<string>("--device") { Description = "auto (CUDA when available, else the CPU), cpu or cuda[:N]", DefaultValueFactory = _ => d.Device };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its checkpoint (settings from its run.json; flags given here override)" };
        var initFrom = new Option<string?>("--init") { Description = "Start from a trained model's weights: a checkpoint (.ctckpt) or a shipped model (default, paper); same preset; a fresh optimizer, step 0 (fine-tuning)" };
        var initBackbone = new Option<string?>("--init-backbone") { Description = "PyTorch ResNet state_dict (.pth) to initialise the backbone from (non-strict)" };
        var every = new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints", DefaultValueFactory = _ => d.CheckpointEvery };
        var synthetic = new Option<int>("--synthetic-videos") { Description = "Number of synthetic videos when --videos is omitted", DefaultValueFactory = _ => 32 };
        var workers = new Option<int>("--workers") { Description = "Background threads preparing clips", DefaultValueFactory = _ => 1 };
        var cameraPan = new Option<double>("--camera-pan") { Description = "Simulated camera motion: each clip's crop drifts by up to this fraction of its side per frame (paper: 0; see models/README.md, 'Why per-frame presets')", DefaultValueFactory = _ => 0 };
        var objective = new Option<string>("--objective") { Description = "What the pointer copies: bins (the paper: 16 colour bins, cross-entropy), ab (regress a, b colours, Huber), lab (regress Lab; for the -lab presets, with channel dropout)", DefaultValueFactory = _ => d.Objective };
        var channelDropout = new Option<double>("--channel-dropout") { Description = "Lab presets: probability that a frame loses one of its L, a, b input channels", DefaultValueFactory = _ => d.ChannelDropout };
        var colorJitter = new Option<double>("--color-jitter") { Description = "Per-clip colour jitter strength (lightness gain/offset, hue rotation, chroma gain; paper: 0)", DefaultValueFactory = _ => 0 };
        var minCrop = new Option<double>("--min-crop-scale") { Description = "Smallest random crop side as a fraction of the frame (paper setting here: 0.8)", DefaultValueFactory = _ => ClipSamplerOptions.Paper.MinCropScale };
        var references = new Option<int>("--references") { Description = "Reference frames per training clip (0 = the preset's; paper: 3)", DefaultValueFactory = _ => d.References };
        var fps = new Option<double>("--fps") { Description = "Frame rate training clips are drawn at: lower = references farther back in time (paper: 6)", DefaultValueFactory = _ => ClipSamplerOptions.Paper.FramesPerSecond };
        var minutes = new Option<double?>("--minutes") { Description = "Train for this much time (training time, validation excluded) instead of to --steps; the run then ends as finished. With --resume it is the run's total, earlier segments included" };
        var validate = new Option<string?>("--validate") { Description = "DAVIS root to validate on during training (J&F of tracking its first-frame masks); its sequences must not be in the training data" };
        var validateSet = new Option<string>("--validate-set") { Description = "Image set of --validate", DefaultValueFactory = _ => "train" };
        var validateEvery = new Option<int>("--validate-every") { Description = "Steps between validations (with --validate)", DefaultValueFactory = _ => 500 };
        var validateFrames = new Option<int>("--validate-frames") { Description = "Frames per validation sequence (a fixed prefix: cheap, comparable across steps)", DefaultValueFactory = _ => 25 };
        var validateScale = new Option<double>("--validate-scale") { Description = "Frame scale of validation tracking", DefaultValueFactory = _ => 0.6 };
        var microBatches = new Option<int>("--micro-batches") { Description = "Shards each process computes one after another per step (gradient accumulation; each its own BatchNorm statistics): N micro-batches in one process compute what N MPI ranks compute. Can change on --resume", DefaultValueFactory = _ => d.MicroBatches };
        var precision = new Option<string>("--precision") { Description = "fp32 | bf16 | auto: what the convolutions and the pointer compute in; bf16 is mixed precision (fp32 master weights, Adam, BatchNorm and loss); auto = bf16 on a CPU with native bfloat16, else fp32. Can change on --resume", DefaultValueFactory = _ => d.Precision };
        var threads = ComputeThreads.CreateOption();
        var cmd = new Command("train", "Train the colorization model (the paper's self-supervised objective) on videos.")
        {
            videos, bins, preset, steps, output, batch, lr, lrAfter, lrDrop, seed, device, resume, initFrom, initBackbone, every, synthetic, workers, cameraPan, threads,
            objective, channelDropout, colorJitter, minCrop, references, fps, minutes, validate, validateSet, validateEvery, validateFrames, validateScale, precision, microBatches,
        };
        cmd.SetAction(p =>
        {
            var runDir = Path.GetFullPath(p.GetValue(output)!);
            var runFile = Path.Combine(runDir, "run.json");
            bool Given(Option o) => p.GetResult(o) is { Implicit: false };
            // Under mpiexec/srun, rank 0 checks, writes and locks the run folder; the other ranks write
            // nothing and train with exactly the settings rank 0 saved (a failing rank 0 ends the job).
            if (Mpi.World is { Rank: > 0 } other)
            {
                other.Barrier("run folder ready");
                ComputeThreads.Apply(p.GetValue(threads));
                return Train(TrainingRun.Load(runDir), runDir, p.GetValue(resume), other);
            }
            AtomicFile.CheckWritable(runFile); // before bins are fitted or videos opened

            TrainingRun settings;
            RunFolderLock? folderLock = null; // one writer per run folder, held until the process ends
            try
            {
                if (p.GetValue(resume))
                {
                    if (!File.Exists(runFile)) throw new BadInputException(runFile, "--resume given but the run folder has no run.json (was it started by `colortrack train`?)");
                    T? If<T>(Option<T> o) where T : struct => Given(o) ? p.GetValue(o) : null;
                    settings = TrainingRun.Load(runDir).Resumed(
                        steps: If(steps), device: Given(device) ? p.GetValue(device) : null, checkpointEvery: If(every),
                        learningRateDropStep: Given(lrDrop) ? p.GetValue(lrDrop) : null, maxTrainingMinutes: Given(minutes) ? p.GetValue(minutes) ?? 0 : null,
                        workers: If(workers), cameraPan: If(cameraPan), colorJitter: If(colorJitter), minCropScale: If(minCrop), framesPerSecond: If(fps),
                        precision: Given(precision) ? p.GetValue(precision) : null, validateEvery: If(validateEvery), microBatches: If(microBatches));
                    settings.Validate();
                    folderLock = RunFolderLock.Acquire(runDir);
                    // What is changed here holds for later resumes too; the previous settings stay in the run's history.
                    settings.Save(runDir);
                }
                else
                {
                    var stepCount = p.GetValue(steps);
                    var training = d with
                    {
                        Preset = ColorizationPreset.Named(p.GetValue(preset)!).Name, Steps = stepCount, BatchSize = p.GetValue(batch),
                        LearningRate = p.GetValue(lr), LearningRateAfterDrop = p.GetValue(lrAfter),
                        LearningRateDropStep = p.GetValue(lrDrop) ?? (int)Math.Round(0.15 * stepCount),
                        Seed = p.GetValue(seed), Device = p.GetValue(device)!, CheckpointEvery = p.GetValue(every),
                        InitBackbone = p.GetValue(initBackbone) is { } pth ? Path.GetFullPath(pth) : null,
                        InitFrom = p.GetValue(initFrom) is { } from ? (ShippedModel.IsName(from) ? from.ToLowerInvariant() : Path.GetFullPath(from)) : null,
                        Objective = p.GetValue(objective)!, ChannelDropout = p.GetValue(channelDropout),
                        ValidateEvery = p.GetValue(validate) is null ? 0 : p.GetValue(validateEvery),
                        MaxTrainingMinutes = p.GetValue(minutes) ?? 0, References = p.GetValue(references),
                        Precision = p.GetValue(precision)!, MicroBatches = p.GetValue(microBatches),
                    };
                    var videoPaths = p.GetValue(videos) is { Length: > 0 } v ? v.Select(Path.GetFullPath).ToArray() : null;
                    if (videoPaths != null && p.GetValue(bins) is null)
                        throw new BadInputException("--bins", "required with --videos (fit them with `colortrack quantize`)");
                    var validation = p.GetValue(validate) is { } root
                        ? new ValidationSettings(Path.GetFullPath(root), p.GetValue(validateSet)!, p.GetValue(validateFrames), p.GetValue(validateScale)) : null;
                    settings = new TrainingRun(training, videoPaths, Path.Combine(runDir, "bins.json"), p.GetValue(synthetic), p.GetValue(workers), p.GetValue(cameraPan),
                        p.GetValue(colorJitter), p.GetValue(minCrop), validation, p.GetValue(fps));
                    settings.Validate();
                    // Every listed video exists, and validation data is never training data: checked before anything is written.
                    var resolved = videoPaths is null ? null : VideoSet.ResolvePaths(videoPaths);
                    if (validation is not null && resolved is not null)
                        VideoSet.CheckDisjoint(resolved, validation.Root, ValidationSequences(validation).Select(q => q.Name));
                    if (File.Exists(Path.Combine(runDir, ColorizationCheckpoint.FileName)))
                        throw new BadInputException(runDir, "already holds a training run: pass --resume to continue it, or choose another --out");
                    // Bins are read or fitted before the folder exists, so a failure leaves nothing behind.
                    var quantizer = p.GetValue(bins) is { } binsPath ? KMeansColorQuantizer.Load(binsPath) : FitSyntheticBins(settings);
                    // The lock first, then a second look: another trainer may have started here since the check above.
                    folderLock = RunFolderLock.Acquire(runDir);
                    if (File.Exists(runFile) || File.Exists(Path.Combine(runDir, ColorizationCheckpoint.FileName)))
                        throw new BadInputException(runDir, "already holds a training run: pass --resume to continue it, or choose another --out");
                    quantizer.Save(settings.BinsPath);
                    settings.Save(runDir);
                }
                ComputeThreads.Apply(p.GetValue(threads));
                RunProvenance.Capture("train", settings, settings.Training.Seed).Save(Path.Combine(runDir, "provenance.json"));
                settings.WriteDataList(runDir);
                Mpi.World?.Barrier("run folder ready");
                return Train(settings, runDir, p.GetValue(resume), Mpi.World);
            }
            finally { folderLock?.Dispose(); }
        });
        return cmd;
    }

    static KMeansColorQuantizer FitSyntheticBins(TrainingRun s)
    {
        Console.WriteLine($"fitting 16 colour bins on {s.SyntheticVideos} synthetic videos...");
        return TrainingRun.FitBins(s.OpenVideos());
    }

    static IReadOnlyList<Datasets.DavisSequence> ValidationSequences(ValidationSettings v) =>
        Datasets.DavisDataset.Open(v.Root, v.Set, "2016");

    static int Train(TrainingRun s, string runDir, bool resume, Mpi? world)
    {
        var c = s.Training;
        var preset = c.ModelPreset();
        var quantizer = KMeansColorQuantizer.Load(s.BinsPath);
        var videoSet = s.OpenVideos();
        var parallel = new DataParallel(world, c.MicroBatches);
        IClipSource Open(long seed, int shard, int shards) => new ClipSampler(videoSet.Shard(shard, shards), quantizer, s.SamplerOptions(seed, shards));
        Evaluation.DavisValidator? validator = null;
        if (s.Validation is { } v && parallel.Writes) // rank 0 validates
        {
            validator = new Evaluation.DavisValidator(ValidationSequences(v), v.Frames, v.Scale, Propagation.PropagationSettings.Best);
            Console.WriteLine($"validating every {c.ValidateEvery} steps on {validator.Description} (best propagation options); best weights -> {ColorizationTrainer.BestFileName}");
        }
        var trainer = new ColorizationTrainer(c, quantizer.Centroids, Open, runDir, validator)
        {
            Parallel = parallel,
            Validated = (step, score) => Console.WriteLine($"validation at step {step}: J&F {score.JAndF:F3} (J {score.J:F3}, F {score.F:F3}; {score.Seconds:F0} s)"),
        };

        // Ctrl-C and SIGTERM stop after the current step and save a checkpoint (a second Ctrl-C kills).
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { if (!cts.IsCancellationRequested) { e.Cancel = true; cts.Cancel(); } };
        Console.CancelKeyPress += onCancel;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; cts.Cancel(); });

        if (parallel.Writes)
        {
            Console.WriteLine($"training preset '{preset.Name}' ({preset.Description}) on {(s.Videos is null ? $"{s.SyntheticVideos} synthetic videos" : $"{videoSet.Count} videos")}, " +
                              $"{quantizer.K} colour bins, batch {c.BatchSize}, {c.Steps} steps, {ComputePrecision.Name(c.ComputeType(ComputeDevice.Resolve(c.Device)))}, into {runDir}");
            if (parallel.Shards > 1)
                Console.WriteLine($"data-parallel: {parallel.Ranks} rank{(parallel.Ranks > 1 ? "s" : "")} x {parallel.MicroBatches} micro-batch{(parallel.MicroBatches > 1 ? "es" : "")} = {parallel.Shards} shards of {c.BatchSize / parallel.Shards} clips" +
                                  (world is null ? "" : $" ({world.Library}; {TorchSharp.torch.get_num_threads()} threads per rank)"));
        }
        TrainingOutcome outcome;
        try
        {
            // Rank 0 shows the progress; the other ranks train quietly beside it.
            outcome = parallel.Writes ? TrainingProgressView.Run(trainer, c, resume, cts.Token) : trainer.Run(resume, cancel: cts.Token);
        }
        catch (TrainingDivergedException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        if (!parallel.Writes) return outcome.Completed ? 0 : CliErrors.Cancelled;
        if (!outcome.Completed)
        {
            Console.WriteLine($"stopped at step {outcome.Step}; checkpoint saved to {outcome.CheckpointPath} (continue with --resume)");
            return CliErrors.Cancelled;
        }
        var meanLast100 = TrainingRun.WriteSummary(runDir, outcome);
        Console.WriteLine($"done: {outcome.Step} steps, loss {outcome.LastLoss:F4} (mean of the last 100: {meanLast100:F4}); checkpoint {outcome.CheckpointPath}");
        return 0;
    }
}
