using System.Text.Json;
using ColorTrack.Color;
using ColorTrack.Data;
using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Synthetic;

namespace ColorTrack.Training;

/// <summary>
/// A training run folder's settings, <c>run.json</c>: the <see cref="TrainingConfig"/>, the data and how
/// clips are drawn from it, and how the run validates. It is written before training starts, merged
/// with what a resume changes, and read back by export. It also owns what follows from it: the clip
/// sampler options of the run's preset, the colour bins of synthetic runs, the data list and the
/// run summary.
/// </summary>
/// <param name="Training">The trainer's settings.</param>
/// <param name="Videos">The training videos (files, folders, lists) as given; null: synthetic videos.</param>
/// <param name="BinsPath">The run's colour bins (bins.json in the run folder).</param>
/// <param name="SyntheticVideos">How many synthetic videos, when <paramref name="Videos"/> is null.</param>
/// <param name="Workers">Background threads preparing clips.</param>
/// <param name="CameraPan">Simulated camera motion (<see cref="ClipSamplerOptions.CameraPan"/>).</param>
/// <param name="ColorJitter">Per-clip colour jitter (<see cref="ClipSamplerOptions.ColorJitter"/>).</param>
/// <param name="MinCropScale">Smallest random crop (<see cref="ClipSamplerOptions.MinCropScale"/>).</param>
/// <param name="Validation">Validation during training, or null.</param>
/// <param name="FramesPerSecond">Frame rate clips are drawn at (<see cref="ClipSamplerOptions.FramesPerSecond"/>).</param>
/// <param name="Version">Format version of run.json (files without one are version 1).</param>
public sealed record TrainingRun(
    TrainingConfig Training, string[]? Videos, string BinsPath, int SyntheticVideos, int Workers,
    double CameraPan = 0, double ColorJitter = 0, double MinCropScale = 0.8, ValidationSettings? Validation = null,
    double FramesPerSecond = 6, int Version = TrainingRun.CurrentVersion)
{
    public const string FileName = "run.json", SummaryFileName = "summary.json", DataListFileName = "training-data.txt";
    public const int CurrentVersion = 1;

    /// <summary>The run folder's settings; a clear error when the folder holds no run or a damaged one.</summary>
    public static TrainingRun Load(string runDir)
    {
        var path = Path.Combine(runDir, FileName);
        if (!File.Exists(path)) throw new BadInputException(path, "not a training run (no run.json: this folder was not made by a training run)");
        TrainingRun? run;
        try { run = JsonSerializer.Deserialize<TrainingRun>(File.ReadAllText(path), RunProvenance.Json); }
        catch (JsonException e) { throw new BadInputException(path, $"run settings are not valid ({ErrorText.FirstLine(e.Message)})", e); }
        if (run?.Training is null) throw new BadInputException(path, "run settings are empty");
        if (run.Version > CurrentVersion) throw new BadInputException(path, $"run.json version {run.Version} is newer than this build reads ({CurrentVersion})");
        // The file's own values are judged here, and a bad one blames the file (a resume's options are checked after they are applied).
        try { run.Validate(); }
        catch (BadInputException e) when (e.SettingName is not null) { throw new BadInputException(path, $"run settings are not valid: {e.SettingName}: {e.Problem}", e); }
        return run;
    }

    /// <summary>Written atomically: a reader never sees half a file.</summary>
    public void Save(string runDir) => AtomicFile.WriteAllText(Path.Combine(runDir, FileName), JsonSerializer.Serialize(this, RunProvenance.Json));

    /// <summary>What a resume may change (null: keep); the result holds for later resumes too.</summary>
    public TrainingRun Resumed(int? steps = null, string? device = null, int? checkpointEvery = null, int? learningRateDropStep = null,
        double? maxTrainingMinutes = null, int? workers = null, double? cameraPan = null, double? colorJitter = null, double? minCropScale = null,
        double? framesPerSecond = null, string? precision = null, int? validateEvery = null, int? microBatches = null) =>
        this with
        {
            Training = Training with
            {
                Steps = steps ?? Training.Steps,
                Precision = precision ?? Training.Precision,
                MicroBatches = microBatches ?? Training.MicroBatches,
                ValidateEvery = Training.ValidateEvery > 0 && validateEvery is { } v ? v : Training.ValidateEvery,
                Device = device ?? Training.Device,
                CheckpointEvery = checkpointEvery ?? Training.CheckpointEvery,
                LearningRateDropStep = learningRateDropStep ?? Training.LearningRateDropStep,
                MaxTrainingMinutes = maxTrainingMinutes ?? Training.MaxTrainingMinutes,
            },
            Workers = workers ?? Workers,
            CameraPan = cameraPan ?? CameraPan,
            ColorJitter = colorJitter ?? ColorJitter,
            MinCropScale = minCropScale ?? MinCropScale,
            FramesPerSecond = framesPerSecond ?? FramesPerSecond,
            Version = CurrentVersion,
        };

    /// <summary>Throws <see cref="BadInputException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        static void Check(bool ok, string setting, string problem) { if (!ok) throw BadInputException.Setting($"{nameof(TrainingRun)}.{setting}", problem); }
        Training.Validate();
        Check(Videos is not null || SyntheticVideos >= 1, nameof(SyntheticVideos), "must be at least 1");
        Check(Workers >= 1, nameof(Workers), "must be at least 1");
        Check(CameraPan is >= 0 and <= 0.5, nameof(CameraPan), $"must be within 0..0.5 (of the crop side per frame), got {CameraPan}");
        Check(ColorJitter is >= 0 and <= 0.5, nameof(ColorJitter), $"must be within 0..0.5, got {ColorJitter}");
        Check(MinCropScale is > 0 and <= 1, nameof(MinCropScale), $"must be in (0, 1], got {MinCropScale}");
        Check(FramesPerSecond is > 0 and <= 60, nameof(FramesPerSecond), $"must be in (0, 60], got {FramesPerSecond}");
        Validation?.Validate();
    }

    /// <summary>The training videos: the given ones, or synthetic videos a little larger than the network input.</summary>
    public VideoSet OpenVideos()
    {
        if (Videos is { } paths) return VideoSet.FromPaths(paths);
        var side = Math.Max(96, Training.ModelPreset().InputSize * 5 / 4); // crops stay down-samplings
        return VideoSet.Synthetic(SyntheticVideos, new SyntheticVideoOptions(Width: side * 4 / 3, Height: side, Frames: 24, Seed: (int)(Training.Seed & 0x7FFFFFFF)));
    }

    /// <summary>How one of <paramref name="shards"/> shards draws its BatchSize / shards clips from data stream <paramref name="seed"/>.</summary>
    public ClipSamplerOptions SamplerOptions(long seed, int shards) => SamplerOptions(seed) with { BatchSize = Training.BatchSize / shards };

    /// <summary>How this run draws clips from data stream <paramref name="seed"/>.</summary>
    public ClipSamplerOptions SamplerOptions(long seed) => SamplerOptionsFor(Training.ModelPreset(), Training.BatchSize, seed) with
    {
        FramesPerSecond = FramesPerSecond, MinCropScale = MinCropScale, CameraPan = CameraPan, ColorJitter = ColorJitter, Workers = Workers,
    };

    /// <summary>Clips as a preset trains on them (its input size, stride and clip length; Lab for the Lab presets), the paper's defaults otherwise.</summary>
    public static ClipSamplerOptions SamplerOptionsFor(ColorizationPreset preset, int batchSize, long seed) => new(
        BatchSize: batchSize, FrameSize: preset.InputSize, Stride: preset.Backbone.OutputStride, ClipLength: preset.Frames,
        LabInput: preset.Backbone.InChannels == 3, Seed: (int)(seed & 0x7FFFFFFF));

    /// <summary>The paper's 16 colour bins (k-means on ab, 3 restarts) fitted on a sample of the videos' pixels.</summary>
    public static KMeansColorQuantizer FitBins(VideoSet videos, int seed = 0, int maxSamples = 200_000) =>
        KMeansColorQuantizer.Fit(AbSampleCollector.Collect(videos, everyNthFrame: 4, everyNthPixel: 4, maxSamples: maxSamples, seed: seed),
            KMeansOptions.Paper with { Restarts = 3, Seed = seed });

    /// <summary>training-data.txt: exactly the video files and folders this run reads (none for synthetic runs).</summary>
    public void WriteDataList(string runDir)
    {
        if (Videos is { } list)
            AtomicFile.WriteAllText(Path.Combine(runDir, DataListFileName), string.Join("\n", VideoSet.ResolvePaths(list)) + "\n");
    }

    /// <summary>summary.json of a finished run; returns the mean loss of its last 100 steps.</summary>
    public static double WriteSummary(string runDir, TrainingOutcome outcome)
    {
        var log = MetricsLog.Read(runDir);
        var meanLast100 = log.Count == 0 ? double.NaN : log.TakeLast(100).Average(r => r.Loss);
        AtomicFile.WriteAllText(Path.Combine(runDir, SummaryFileName), JsonSerializer.Serialize(new
        {
            Steps = outcome.Step, FinalLoss = outcome.LastLoss, MeanLossLast100 = meanLast100,
            WallSeconds = log.Count > 0 ? log[^1].WallSeconds : 0, Checkpoint = outcome.CheckpointPath,
        }, RunProvenance.Json));
        return meanLast100;
    }
}
