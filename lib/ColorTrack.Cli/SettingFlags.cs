namespace ColorTrack.Cli;

/// <summary>
/// The library names a bad setting by its record and property (<see cref="BadInputException.SettingName"/>,
/// e.g. <c>TrainingConfig.Steps</c>); the command line names it by the flag that sets it.
/// </summary>
public static class SettingFlags
{
    static readonly Dictionary<string, string> Flags = new()
    {
        ["TrainingConfig.Steps"] = "--steps",
        ["TrainingConfig.BatchSize"] = "--batch",
        ["TrainingConfig.LearningRate"] = "--lr",
        ["TrainingConfig.CheckpointEvery"] = "--checkpoint-every",
        ["TrainingConfig.DataSegmentSteps"] = "--data-segment-steps",
        ["TrainingConfig.Temperature"] = "--temperature",
        ["TrainingConfig.Objective"] = "--objective",
        ["TrainingConfig.ChannelDropout"] = "--channel-dropout",
        ["TrainingConfig.MaxTrainingMinutes"] = "--minutes",
        ["TrainingConfig.ValidateEvery"] = "--validate-every",
        ["TrainingConfig.References"] = "--references",
        ["TrainingRun.SyntheticVideos"] = "--synthetic-videos",
        ["TrainingRun.Workers"] = "--workers",
        ["TrainingRun.CameraPan"] = "--camera-pan",
        ["TrainingRun.ColorJitter"] = "--color-jitter",
        ["TrainingRun.MinCropScale"] = "--min-crop-scale",
        ["TrainingRun.FramesPerSecond"] = "--fps",
        ["ValidationSettings.Frames"] = "--validate-frames",
        ["ValidationSettings.Scale"] = "--validate-scale",
        ["ColorizationPreset.Name"] = "--preset",
        ["ComputeDevice.Name"] = "--device",
        ["TrainingConfig.Precision"] = "--precision",
        ["TrainingConfig.MicroBatches"] = "--micro-batches",
        ["PropagationSettings.Temperature"] = "--temperature",
        ["PropagationSettings.Window"] = "--window",
        ["PropagationSettings.TopK"] = "--topk",
        ["PropagationSettings.Radius"] = "--radius",
        ["TrackerSpec.Kind"] = "--method",
        ["TrackerSpec.Checkpoint"] = "--checkpoint",
        ["TrackerSpec.Weights"] = "--weights",
        ["TrackerSpec.PixelStride"] = "--stride",
        ["TrackerSpec.Scale"] = "--scale",
    };

    /// <summary>What an error line starts with: the flag of the setting, else the file or input the library named.</summary>
    public static string Subject(BadInputException e) =>
        e.SettingName is { } s ? Flags.GetValueOrDefault(s, s) : e.Path;

    /// <summary>The settings that have a flag (for tests).</summary>
    public static IReadOnlyCollection<string> Mapped => Flags.Keys;
}
