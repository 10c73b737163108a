namespace ColorTrack.Propagation;

/// <summary>
/// How labels are propagated from the reference frames to a new frame (paper section 3.3, plus the
/// options later trackers added). Every option can be switched off, so <see cref="Paper"/>
/// reproduces the paper exactly; <see cref="Best"/> holds the options of the best later tracker's
/// published propagation code (see Propagation/README.md for what was measured here).
/// </summary>
public sealed record PropagationSettings
{
    /// <summary>Temperature T of the pointer (<see cref="Model.Pointer"/>): affinities f_i . f_j are divided by T. Paper: 0.5.</summary>
    public double Temperature { get; init; } = 0.5;

    /// <summary>N: the references are the N previous frames (ground truth first, later the model's own soft predictions). Paper: 3.</summary>
    public int Window { get; init; } = 3;

    /// <summary>Long-term memory: the first frame and its ground truth stay in the references for the whole video. Paper: off.</summary>
    public bool LongTermMemory { get; init; }

    /// <summary>Keep only the k largest affinities per target location, renormalised over them. 0 = all (paper).</summary>
    public int TopK { get; init; }

    /// <summary>
    /// Each target location only looks at reference locations within this Euclidean distance, in
    /// feature-grid cells (d &lt;= radius). 0 = unrestricted (paper). Applies to the long-term first
    /// frame too unless <see cref="RadiusSparesFirstFrame"/>.
    /// </summary>
    public double Radius { get; init; }

    /// <summary>
    /// With a radius and long-term memory: the first frame is searched everywhere, only the window's
    /// frames within the radius (CRW's propagation does this: an object that has moved far from where it
    /// started can still be matched to its labelled appearance). Default off.
    /// </summary>
    public bool RadiusSparesFirstFrame { get; init; }

    /// <summary>
    /// Start with the window full of copies of the first frame and its labels (CRW pads the video with
    /// N copies of frame 0), instead of growing it frame by frame. With top-k the copies of one matching
    /// cell fill the k slots, so the early frames copy their single best match. Default off.
    /// </summary>
    public bool WindowStartsWithCopies { get; init; }

    /// <summary>L2-normalise every embedding vector before the dot product (cosine affinity). Paper: off.</summary>
    public bool L2Normalize { get; init; }

    /// <summary>
    /// Upper bound, in MiB, of one chunk of the affinity matrix (float32 [targets in chunk, reference
    /// locations]). The propagator's peak memory is about 3 x this (scores, pointer weights or top-k outputs,
    /// mask) plus the reference buffers, whatever the video's length or size. 0 = no chunking
    /// (the whole [h*w, refs] matrix at once through <see cref="Model.Pointer"/>, also with top-k: the
    /// reference the fused top-k path is tested against).
    /// </summary>
    public int ChunkMiB { get; init; } = 64;

    /// <summary>
    /// Element type the references are kept in and the affinities computed in: float32 (default), or
    /// bfloat16 (half the memory; oneDNN's AVX-512 BF16 kernels where the CPU has them). The mixing
    /// weights and the labels stay float32.
    /// </summary>
    public TorchSharp.torch.ScalarType ComputeType { get; init; } = TorchSharp.torch.ScalarType.Float32;

    /// <summary>With a radius: side, in cells, of the square tiles of target locations computed together (a tile reads the references within the radius of it).</summary>
    public int TileSide { get; init; } = 8;

    /// <summary>The paper's inference: T = 0.5, the 3 previous frames, every location (dense), raw embeddings.</summary>
    public static PropagationSettings Paper { get; } = new();

    /// <summary>
    /// The best options measured on davis2016-train (see Propagation/README.md): long-term
    /// memory, 20 context frames, top-10, radius 12 cells, L2-normalised embeddings with T = 0.05.
    /// </summary>
    public static PropagationSettings Best { get; } = new()
    {
        Temperature = 0.05, Window = 20, LongTermMemory = true, TopK = 10, Radius = 12, L2Normalize = true,
    };

    /// <summary>
    /// CRW's published propagation exactly (Jabri et al. 2020, code/test.py): <see cref="Best"/> with the
    /// first frame outside the radius and the window starting as copies of the first frame.
    /// </summary>
    public static PropagationSettings Crw { get; } = Best with { RadiusSparesFirstFrame = true, WindowStartsWithCopies = true };

    /// <summary>Throws <see cref="BadInputException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        static void Check(bool ok, string setting, string problem) { if (!ok) throw BadInputException.Setting($"{nameof(PropagationSettings)}.{setting}", problem); }
        Check(Temperature > 0, nameof(Temperature), $"temperature must be > 0 (got {Temperature})");
        Check(Window >= 1, nameof(Window), $"window must be at least 1 frame (got {Window})");
        Check(TopK >= 0, nameof(TopK), $"top-k must be >= 0 (0 = all; got {TopK})");
        Check(Radius >= 0, nameof(Radius), $"radius must be >= 0 (0 = unrestricted; got {Radius})");
        Check(ChunkMiB >= 0, nameof(ChunkMiB), $"chunk size must be >= 0 MiB (got {ChunkMiB})");
        Check(ComputeType is TorchSharp.torch.ScalarType.Float32 or TorchSharp.torch.ScalarType.BFloat16, nameof(ComputeType), $"compute type must be Float32 or BFloat16 (got {ComputeType})");
        Check(TileSide >= 1, nameof(TileSide), $"tile side must be >= 1 (got {TileSide})");
    }
}
