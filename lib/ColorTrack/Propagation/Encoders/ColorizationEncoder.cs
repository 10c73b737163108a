using TorchSharp;
using ColorTrack.Color;
using ColorTrack.Model;
using static TorchSharp.torch;

namespace ColorTrack.Propagation;

/// <summary>
/// A trained colorization model (<see cref="ColorizationCheckpoint"/>) as a frame encoder: frames
/// become gray (Lab lightness mapped to [-1, 1], what the model sees in training) and go through
/// <see cref="ColorizationModel.Embed"/> at their own resolution (the network is convolutional and its
/// coordinate channels span [-1, 1] whatever the size).
///
/// Embed is causal: frame t's embedding depends on frames t-3..t. Consecutive calls are one video,
/// so the last WindowFrames-1 gray frames of a call are prepended to the next call (their backbone
/// features are recomputed; the embeddings returned are exactly those of one Embed over the whole
/// video). Call <see cref="Reset"/> before a new video.
/// </summary>
public sealed class ColorizationEncoder : IFrameEncoder
{
    readonly ColorizationModel _model;
    readonly ColorizationCheckpoint? _checkpoint; // owned, when loaded here
    readonly List<Tensor> _history = [];          // the last WindowFrames-1 input frames [C, H', W']

    /// <param name="checkpointPath">The checkpoint to load (owned here).</param>
    /// <param name="computeType">Element type the network computes in (float32, or bfloat16: about 2x faster on CPUs with AVX-512 BF16); embeddings come back float32.</param>
    public ColorizationEncoder(string checkpointPath, ScalarType computeType = ScalarType.Float32)
    {
        _checkpoint = ColorizationCheckpoint.Load(checkpointPath);
        _model = _checkpoint.Model;
        ComputeType = computeType;
        if (computeType != ScalarType.Float32) _model.to(computeType);
    }

    /// <summary>Element type the network computes in.</summary>
    public ScalarType ComputeType { get; } = ScalarType.Float32;

    /// <summary>A model in memory (e.g. the one being trained, for validation); not disposed here.</summary>
    public ColorizationEncoder(ColorizationModel model) => _model = model;

    public string Name => "colorization";
    public int Stride => _model.Stride;
    public int Dim => _model.EmbeddingDim;

    /// <summary>Forget the previous frames (a new video starts).</summary>
    public void Reset()
    {
        foreach (var t in _history) t.Dispose();
        _history.Clear();
    }

    public Tensor Encode(Tensor frames)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var lab = LabColor.RgbToLab(frames);                                     // [T, 3, H, W], L in [0, 100]
        var gray = LabelGrid.PadToStride(_model.InputFromLab(lab), Stride).to(ComputeType); // [T, C, H', W']: gray in [-1, 1], or Lab
        int context = _history.Count;
        var input = context == 0 ? gray : cat([stack(_history), gray], 0);       // [context + T, C, H', W']
        var embeddings = _model.Embed(input).narrow(0, context, gray.shape[0]);  // [T, D, h, w]
        int keep = _model.WindowFrames - 1;
        var all = _history.Concat(Enumerable.Range(0, (int)gray.shape[0]).Select(i => gray[i])).ToList();
        var next = all.Skip(Math.Max(0, all.Count - keep)).Select(t => t.clone().DetachFromDisposeScope()).ToList();
        Reset();
        _history.AddRange(next);
        return embeddings.to(float32).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Reset();
        _checkpoint?.Dispose();
    }
}
