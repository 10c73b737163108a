namespace ColorTrack.Propagation;

/// <summary>
/// Which tracker to build, and how (<see cref="TrackerFactory"/> builds it). Unset options take the
/// tracker's own defaults: the shipped model's manifest options, else the encoder's best settings,
/// and scale 1. <see cref="TrackerFactory.Resolve"/> makes every default explicit (what a run records).
/// </summary>
/// <param name="Kind">model (a checkpoint: <see cref="Checkpoint"/>), pixels (the Lab-pixel pointer),
/// imagenet18 (ImageNet ResNet-18 features: <see cref="Weights"/>), identity or flow.</param>
public sealed record TrackerSpec(string Kind)
{
    /// <summary>model: a checkpoint file, or <see cref="Model.ShippedModel.DefaultName"/> for the shipped model.</summary>
    public string? Checkpoint { get; init; }

    /// <summary>model: the shipped model's SHA-256 (set by <see cref="TrackerFactory.Resolve"/>, for the run's record).</summary>
    public string? Sha256 { get; init; }

    /// <summary>imagenet18: the PyTorch state_dict (.pth) of torchvision's resnet18, up to layer 3.</summary>
    public string? Weights { get; init; }

    /// <summary>pixels: the grid stride (pixels per cell).</summary>
    public int PixelStride { get; init; } = 8;

    /// <summary>Label propagation options of the pointer trackers (null: the tracker's own).</summary>
    public PropagationSettings? Settings { get; init; }

    /// <summary>Frames are resized by this factor before encoding, labels come back at full size (null: the tracker's own).</summary>
    public double? Scale { get; init; }

    /// <summary>
    /// The short side, in pixels, that <see cref="Scale"/> is relative to: frames are brought to
    /// Scale x this many pixels on their short side (never enlarged past their own size), so a 720p or
    /// 1080p clip costs what a 480p one does. Null: Scale multiplies each clip's own size. The shipped
    /// model's manifest sets it (its options were chosen on DAVIS 480p); an explicit --scale does not.
    /// </summary>
    public int? ReferenceShortSide { get; init; }

    /// <summary>DAVIS 480p's short side: what validation and the shipped model's scale refer to.</summary>
    public const int DavisShortSide = 480;

    /// <summary>flow: chain the flow frame to frame (else from the first frame). Default: the flow
    /// baseline's own (<see cref="Baselines.OpticalFlowSettings.Recursive"/>), as `track --method flow` uses.</summary>
    public bool FlowRecursive { get; init; } = Baselines.OpticalFlowSettings.Default.Recursive;

    public const string ModelKind = "model", Pixels = "pixels", ImageNet18 = "imagenet18", Identity = "identity", Flow = "flow";

    /// <summary>Every kind, in the order help texts list them.</summary>
    public static readonly string[] Kinds = [ModelKind, Pixels, ImageNet18, Identity, Flow];

    /// <summary>The shipped model with its manifest's options.</summary>
    public static TrackerSpec Shipped => new(ModelKind) { Checkpoint = Model.ShippedModel.DefaultName };

    /// <summary>A checkpoint file.</summary>
    public static TrackerSpec OfCheckpoint(string path) => new(ModelKind) { Checkpoint = path };

    /// <summary>
    /// The spec computing in <paramref name="precision"/> (fp32 | bf16 | auto; null = fp32): auto is
    /// bfloat16 only for a network's L2-normalised (cosine) affinities where the CPU has native
    /// bfloat16 (<see cref="Runtime.ComputePrecision.Resolve"/>). `track --precision` and every
    /// comparison table use this one rule, so a table's row is what `track` computes.
    /// </summary>
    public TrackerSpec WithPrecision(string? precision) => Settings is null ? this : this with
    {
        Settings = Settings with { ComputeType = Runtime.ComputePrecision.Resolve(precision, cosineAffinities: Kind != Pixels && Settings.L2Normalize) },
    };

    /// <summary>Whether the tracker is a pointer over embeddings (takes <see cref="Settings"/>).</summary>
    public bool Propagates => Kind is ModelKind or Pixels or ImageNet18;
}
