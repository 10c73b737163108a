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
    /// feature-grid cells (applies to every reference frame, the long-term one included). 0 = unrestricted (paper).
    /// </summary>
    public double Radius { get; init; }

    /// <summary>L2-normalise every embedding vector before the dot product (cosine affinity). Paper: off.</summary>
    public bool L2Normalize { get; init; }

    /// <summary>
    /// Upper bound, in MiB, of one chunk of the affinity matrix (float32 [targets in chunk, reference
    /// locations]). The propagator's peak memory is about 3 x this (scores, pointer weights or top-k outputs,
    /// mask) plus the reference buffers, whatever the video's length or size. 0 = no chunking
    /// (the whole [h*w, refs] matrix at once; for tests).
    /// </summary>
    public int ChunkMiB { get; init; } = 64;

    /// <summary>With a radius: side, in cells, of the square tiles of target locations computed together (a tile reads the references within the radius of it).</summary>
    public int TileSide { get; init; } = 8;

    /// <summary>The paper's inference: T = 0.5, the 3 previous frames, every location (dense), raw embeddings.</summary>
    public static PropagationSettings Paper { get; } = new();

    /// <summary>
    /// The best options measured on davis2016-train (see README "Label propagation"): long-term
    /// memory, 20 context frames, top-10, radius 12 cells, L2-normalised embeddings with T = 0.05.
    /// </summary>
    public static PropagationSettings Best { get; } = new()
    {
        Temperature = 0.05, Window = 20, LongTermMemory = true, TopK = 10, Radius = 12, L2Normalize = true,
    };

    /// <summary>Throws ArgumentException naming the first option out of range.</summary>
    /// <summary>Throws <see cref="BadInputException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        static void Check(bool ok, string setting, string problem) { if (!ok) throw BadInputException.Setting($"{nameof(PropagationSettings)}.{setting}", problem); }
        Check(Temperature > 0, nameof(Temperature), $"temperature must be > 0 (got {Temperature})");
        Check(Window >= 1, nameof(Window), $"window must be at least 1 frame (got {Window})");
        Check(TopK >= 0, nameof(TopK), $"top-k must be >= 0 (0 = all; got {TopK})");
        Check(Radius >= 0, nameof(Radius), $"radius must be >= 0 (0 = unrestricted; got {Radius})");
        Check(ChunkMiB >= 0, nameof(ChunkMiB), $"chunk size must be >= 0 MiB (got {ChunkMiB})");
        Check(TileSide >= 1, nameof(TileSide), $"tile side must be >= 1 (got {TileSide})");
    }
}
