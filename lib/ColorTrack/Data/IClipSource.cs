namespace ColorTrack.Data;

/// <summary>
/// An endless, seeded stream of training batches (the clip sampler over real or synthetic video).
/// Implementations prepare batches in the background so that training is never data-bound.
/// </summary>
public interface IClipSource : IDisposable
{
    /// <summary>Clips per batch (B).</summary>
    int BatchSize { get; }

    /// <summary>The next batch; blocks until one is ready. Deterministic for a given seed.</summary>
    ClipBatch Next(CancellationToken cancel = default);
}
