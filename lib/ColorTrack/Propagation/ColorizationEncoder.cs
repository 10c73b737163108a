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
    readonly ColorizationCheckpoint _checkpoint;
    readonly List<Tensor> _history = []; // the last WindowFrames-1 gray frames [1, H', W']

    public ColorizationEncoder(string checkpointPath) => _checkpoint = ColorizationCheckpoint.Load(checkpointPath);

    public string Name => "colorization";
    public int Stride => _checkpoint.Model.Stride;
    public int Dim => _checkpoint.Model.EmbeddingDim;

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
        var lightness = LabColor.RgbToLab(frames).narrow(1, 0, 1);               // [T, 1, H, W], L in [0, 100]
        var gray = LabelGrid.PadToStride(lightness / 50 - 1, Stride);            // [T, 1, H', W'] in [-1, 1]
        int context = _history.Count;
        var input = context == 0 ? gray : cat([stack(_history), gray], 0);       // [context + T, 1, H', W']
        var embeddings = _checkpoint.Model.Embed(input).narrow(0, context, gray.shape[0]); // [T, D, h, w]
        int keep = _checkpoint.Model.WindowFrames - 1;
        var all = _history.Concat(Enumerable.Range(0, (int)gray.shape[0]).Select(i => gray[i])).ToList();
        var next = all.Skip(Math.Max(0, all.Count - keep)).Select(t => t.clone().DetachFromDisposeScope()).ToList();
        Reset();
        _history.AddRange(next);
        return embeddings.MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Reset();
        _checkpoint.Dispose();
    }
}
