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

    /// <summary>auto (CUDA when available, else the CPU), cpu or cuda[:N].</summary>
    public string Device { get; init; } = "auto";

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

    /// <summary>
    /// What the pointer is trained to copy: "bins" (the paper: 16 k-means colour bins, cross-entropy),
    /// "ab" (regress the references' a, b colours, Huber) or "lab" (regress all three Lab channels,
    /// for models that see colour; with <see cref="ChannelDropout"/> this is MAST's objective).
    /// </summary>
    public string Objective { get; init; } = "bins";

    /// <summary>
    /// For models with Lab input (3 channels): the probability that a frame has one of its L, a, b
    /// channels (chosen uniformly) zeroed, so the pointer cannot always match colour to colour.
    /// </summary>
    public double ChannelDropout { get; init; } = 0.5;

    /// <summary>Score the tracker on the validation set every this many steps (0 = never; needs a validator).</summary>
    public int ValidateEvery { get; init; }

    /// <summary>
    /// Stop when this much training time (minutes, summed over resumed sessions, validation excluded)
    /// has been spent, as if <see cref="Steps"/> were reached; 0 = no time limit. Ablations compare at equal time.
    /// </summary>
    public double MaxTrainingMinutes { get; init; }

    /// <summary>The objectives <see cref="Objective"/> takes.</summary>
    public static readonly string[] Objectives = ["bins", "ab", "lab"];

    /// <summary>
    /// Reference frames per training clip (each clip is this many references and one target);
    /// 0 = the preset's (paper: 3). For per-frame presets this changes training only; a temporal head
    /// also looks at this many frames when tracking.
    /// </summary>
    public int References { get; init; }

    /// <summary>The model this run trains: the preset, with <see cref="References"/> + 1 frames per clip if set.</summary>
    public Model.ColorizationPreset ModelPreset()
    {
        var preset = Model.ColorizationPreset.Named(Preset);
        return References > 0 ? preset with { Frames = References + 1 } : preset;
    }

    /// <summary>
    /// What the products compute in: "fp32", "bf16" (mixed precision: convolutions and the pointer's
    /// affinities in bfloat16, master weights, Adam, BatchNorm and the loss in fp32; see
    /// <see cref="BFloat16Replica"/>) or "auto" (bf16 on a CPU with native bfloat16 arithmetic, else fp32).
    /// A compute choice, not a model change: a run may be resumed in another precision.
    /// </summary>
    public string Precision { get; init; } = Runtime.ComputePrecision.Auto;

    /// <summary>The element type <see cref="Precision"/> computes in on <paramref name="device"/> (auto: bf16 only on a CPU that has it).</summary>
    public TorchSharp.torch.ScalarType ComputeType(TorchSharp.torch.Device device) =>
        Precision == Runtime.ComputePrecision.Auto && device.type != TorchSharp.DeviceType.CPU
            ? TorchSharp.torch.ScalarType.Float32
            : Runtime.ComputePrecision.Resolve(Precision);

    /// <summary>
    /// Shards each process computes one after another per step, gradients summed (gradient
    /// accumulation): the global batch is cut into ranks x this many shards of equal size, each with its
    /// own BatchNorm statistics and data stream (<see cref="DataParallel"/>). One process with N
    /// micro-batches computes what N MPI ranks with one each compute.
    /// </summary>
    public int MicroBatches { get; init; } = 1;

    /// <summary>Optional PyTorch state_dict (.pth) to initialise the backbone from (non-strict).</summary>
    public string? InitBackbone { get; init; }

    /// <summary>
    /// Optional colorization checkpoint (.ctckpt) or shipped model name (default, paper) to start from: its weights
    /// only (a fresh optimizer, step 0), so a run fine-tunes a trained model on new video. Its preset and clip
    /// length must be this run's; with the bins objective, so must its number of bins.
    /// </summary>
    public string? InitFrom { get; init; }

    /// <summary>Learning rate at a 0-based step index.</summary>
    public double LearningRateAt(long step) => step < LearningRateDropStep ? LearningRate : LearningRateAfterDrop;

    /// <summary>Throws <see cref="BadInputException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        void Check(bool ok, string setting, string problem) { if (!ok) throw BadInputException.Setting($"{nameof(TrainingConfig)}.{setting}", problem); }
        Check(Steps >= 1, nameof(Steps), $"must be >= 1, got {Steps}");
        Check(BatchSize >= 1, nameof(BatchSize), $"must be >= 1, got {BatchSize}");
        Check(LearningRate > 0 && LearningRateAfterDrop > 0, nameof(LearningRate), "learning rates must be > 0");
        Check(CheckpointEvery >= 1, nameof(CheckpointEvery), $"must be >= 1, got {CheckpointEvery}");
        Check(DataSegmentSteps >= 1, nameof(DataSegmentSteps), $"must be >= 1, got {DataSegmentSteps}");
        Check(Temperature > 0, nameof(Temperature), "must be > 0");
        Check(Objectives.Contains(Objective), nameof(Objective), $"unknown objective '{Objective}' (choose one of: {string.Join(", ", Objectives)})");
        Check(ChannelDropout is >= 0 and <= 1, nameof(ChannelDropout), $"must be within 0..1, got {ChannelDropout}");
        Check(MaxTrainingMinutes >= 0, nameof(MaxTrainingMinutes), $"must be >= 0, got {MaxTrainingMinutes}");
        Check(ValidateEvery >= 0, nameof(ValidateEvery), $"must be >= 0, got {ValidateEvery}");
        Check(Precision is Runtime.ComputePrecision.Fp32 or Runtime.ComputePrecision.Bf16 or Runtime.ComputePrecision.Auto, nameof(Precision), $"unknown precision '{Precision}' (fp32, bf16 or auto)");
        Check(MicroBatches >= 1 && BatchSize % MicroBatches == 0, nameof(MicroBatches), $"must be at least 1 and divide the batch of {BatchSize}, got {MicroBatches}");
        Check(References is >= 0 and <= 16, nameof(References), $"must be within 1..16 (0 = the preset's), got {References}");
        Model.ColorizationPreset.Named(Preset);
    }
}
