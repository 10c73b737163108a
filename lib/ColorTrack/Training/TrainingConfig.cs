namespace ColorTrack.Training;

/// <summary>
/// Everything that defines a training run (saved as config.json in the run folder and inside every
/// checkpoint). Defaults are for the CPU preset on a small machine; the paper's values are noted.
/// </summary>
public sealed record TrainingConfig
{
    /// <summary>Model preset name (paper, small, tiny); see <see cref="Model.ColorizationPreset"/>.</summary>
    public string Preset { get; init; } = "small";

    /// <summary>Optimizer steps in total (paper: 400,000).</summary>
    public int Steps { get; init; } = 2000;

    /// <summary>Clips per step (paper: 32).</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Adam learning rate before the drop (paper: 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Adam learning rate from <see cref="LearningRateDropStep"/> on (paper: 1e-4).</summary>
    public double LearningRateAfterDrop { get; init; } = 1e-4;

    /// <summary>Step at which the learning rate drops (paper: 60,000 of 400,000, i.e. 15%).</summary>
    public int LearningRateDropStep { get; init; } = 1500;

    /// <summary>Seeds the model initialisation and the data stream.</summary>
    public long Seed { get; init; } = 0;

    /// <summary>auto, cpu or cuda[:N].</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Write a checkpoint every this many steps (and always at the end and on Ctrl-C).</summary>
    public int CheckpointEvery { get; init; } = 250;

    /// <summary>
    /// The data stream is reopened with a fresh seed every this many steps. A resumed run reopens the
    /// segment it stopped in and skips the batches already used, so it sees exactly the batches the
    /// uninterrupted run would have, at a cost bounded by this length.
    /// </summary>
    public int DataSegmentSteps { get; init; } = 500;

    /// <summary>Softmax temperature of the pointer during training (paper: 1).</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Optional PyTorch state_dict (.pth) to initialise the backbone from (non-strict).</summary>
    public string? InitBackbone { get; init; }

    /// <summary>Learning rate at a 0-based step index.</summary>
    public double LearningRateAt(long step) => step < LearningRateDropStep ? LearningRate : LearningRateAfterDrop;

    /// <summary>Throws <see cref="BadInputException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        void Check(bool ok, string option, string problem) { if (!ok) throw new BadInputException(option, problem); }
        Check(Steps >= 1, "--steps", $"must be >= 1, got {Steps}");
        Check(BatchSize >= 1, "--batch", $"must be >= 1, got {BatchSize}");
        Check(LearningRate > 0 && LearningRateAfterDrop > 0, "--lr", "learning rates must be > 0");
        Check(CheckpointEvery >= 1, "--checkpoint-every", $"must be >= 1, got {CheckpointEvery}");
        Check(DataSegmentSteps >= 1, "--data-segment-steps", $"must be >= 1, got {DataSegmentSteps}");
        Check(Temperature > 0, "--temperature", "must be > 0");
        Model.ColorizationPreset.Named(Preset);
    }
}
