using ColorTrack.Baselines;
using static TorchSharp.torch;

namespace ColorTrack.Propagation;

/// <summary>
/// Tracks labels with an <see cref="IFrameEncoder"/> and a <see cref="LabelPropagator"/>: the
/// first labels go down to the encoder's grid (cell averages), every frame is encoded exactly once
/// (in blocks of <paramref name="encodeBlock"/> consecutive frames), and each propagated soft label
/// map comes back at full resolution (bilinear), ready for the argmax.
/// </summary>
public sealed class PropagationTracker(IFrameEncoder encoder, PropagationSettings settings, int encodeBlock = 4) : ILabelTracker
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

    Tensor EncodeChecked(Tensor frames, int H, int W)
    {
        var e = encoder.Encode(frames);
        var (h, w) = LabelGrid.Size(H, W, encoder.Stride);
        if (e.dim() != 4 || e.shape[1] != encoder.Dim || e.shape[2] != h || e.shape[3] != w)
            throw new InvalidOperationException($"encoder {encoder.Name} returned [{string.Join(',', e.shape)}] for {W}x{H} frames; expected [T,{encoder.Dim},{h},{w}]");
        return e;
    }
}
