using System.Diagnostics;
using ColorTrack.Contracts;
using static TorchSharp.torch;

namespace ColorTrack.Propagation;

/// <summary>
/// Tracks labels with an <see cref="IFrameEncoder"/> and a <see cref="LabelPropagator"/>: the
/// first labels go down to the encoder's grid (cell averages), every frame is encoded exactly once
/// (in blocks of <paramref name="encodeBlock"/> consecutive frames), and each propagated soft label
/// map comes back at full resolution (bilinear), ready for the argmax.
/// </summary>
public sealed class PropagationTracker(IFrameEncoder encoder, PropagationSettings settings, int encodeBlock = 4) : ILabelTracker, IEstimatesCost
{
    public string Name => encoder.Name;
    public IFrameEncoder Encoder => encoder;
    public PropagationSettings Settings => settings;

    public IEnumerable<Tensor> Track(IEnumerable<Tensor> frames, Tensor firstLabels)
    {
        using var it = frames.GetEnumerator();
        if (!it.MoveNext()) yield break;
        int H = (int)it.Current.shape[1], W = (int)it.Current.shape[2];
        encoder.Reset();
        if (firstLabels.shape[1] != H || firstLabels.shape[2] != W)
            throw new ArgumentException($"labels are {firstLabels.shape[2]}x{firstLabels.shape[1]} but the frames are {W}x{H}");
        LabelPropagator propagator;
        using (var scope = NewDisposeScope())
        {
            using var first = it.Current;
            var embedding = EncodeChecked(first.unsqueeze(0), H, W)[0]; // [D, h, w]
            propagator = new LabelPropagator(embedding, LabelGrid.Downsample(firstLabels, encoder.Stride), settings);
        }
        using (propagator)
        {
            var block = new List<Tensor>(encodeBlock);
            bool more = true;
            while (more)
            {
                block.Clear();
                while (block.Count < encodeBlock && (more = it.MoveNext())) block.Add(it.Current);
                if (block.Count == 0) break;
                Tensor embeddings; // [B, D, h, w]
                using (var scope = NewDisposeScope())
                {
                    embeddings = EncodeChecked(stack(block), H, W).MoveToOuterDisposeScope();
                    foreach (var f in block) f.Dispose();
                }
                using (embeddings)
                    for (int i = 0; i < block.Count; i++)
                    {
                        Tensor full;
                        using (var scope = NewDisposeScope())
                            full = LabelGrid.Upsample(propagator.Next(embeddings[i]), encoder.Stride, H, W).MoveToOuterDisposeScope();
                        yield return full;
                    }
            }
        }
    }

    /// <summary>
    /// One synthetic frame of this size: the second of two encodings (the first warms the kernels up)
    /// plus one propagation step against a full window of references — the steady-state cost per frame.
    /// </summary>
    public double SecondsPerFrame(int height, int width)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var random = new Generator(0); // its own generator: the caller's random stream is left alone
        var frame = rand([1, 3, height, width], generator: random);                         // [1, 3, H, W]
        EncodeChecked(frame, height, width);
        var sw = Stopwatch.StartNew();
        var embedding = EncodeChecked(frame, height, width)[0];                               // [D, h, w]
        double encode = sw.Elapsed.TotalSeconds;
        var labels = rand([2, embedding.shape[1], embedding.shape[2]], generator: random);   // [2, h, w]
        using var propagator = new LabelPropagator(embedding, labels, settings with { WindowStartsWithCopies = true });
        sw.Restart();
        LabelGrid.Upsample(propagator.Next(embedding), encoder.Stride, height, width);
        double propagate = sw.Elapsed.TotalSeconds;
        encoder.Reset();
        return encode + propagate;
    }

    Tensor EncodeChecked(Tensor frames, int H, int W)
    {
        var e = encoder.Encode(frames);
        var (h, w) = LabelGrid.Size(H, W, encoder.Stride);
        if (e.dim() != 4 || e.shape[1] != encoder.Dim || e.shape[2] != h || e.shape[3] != w)
            throw new InvalidOperationException($"encoder {encoder.Name} returned [{string.Join(',', e.shape)}] for {W}x{H} frames; expected [T,{encoder.Dim},{h},{w}]");
        return e;
    }
}
