using TorchSharp;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;

namespace ColorTrack.Propagation;

/// <summary>
/// The paper's inference (section 3.3): labels are distributions over categories at feature
/// resolution, and each new frame's labels are a mixture of the reference frames' labels,
///     y_j = sum_i A_ij c_i,   A = the pointer's weights (<see cref="Model.Pointer"/>, temperature T),
/// over the locations i of the reference frames: the N previous frames (initially the ground truth,
/// later the propagator's own soft predictions), optionally plus the first frame for good
/// (long-term memory), restricted to a radius and/or the top-k affinities (see <see cref="PropagationSettings"/>).
///
/// With top-k the affinities go through <see cref="TopKMixer"/> block by block (mask, top-k and mix
/// fused), else through <see cref="Model.Pointer"/>.
///
/// Memory: each frame's embedding is given once and kept in a ring buffer of
/// slots = N (+1 with long-term memory) frames, [slots, h, w, D + C] floats. The affinity matrix is
/// never formed whole: target locations are processed in chunks whose [targets, references] block is
/// at most <see cref="PropagationSettings.ChunkMiB"/>, so the peak is about
///     4 * slots * h * w * (D + C)  +  3 * ChunkMiB  bytes (+ one tile's reference copy with a radius),
/// independent of the video's length; for 480p, D = 256, 21 slots, 64 MiB chunks: ~140 MB + ~200 MB.
/// </summary>
public sealed class LabelPropagator : IDisposable
{
    readonly PropagationSettings _s;
    readonly int _h, _w, _d, _c;
    readonly Tensor _keys;   // [slots, h, w, D] reference embeddings; channels last so a frame's locations are rows
    readonly Tensor _values; // [slots, h, w, C] reference soft labels
    readonly int _ringStart; // 1 when slot 0 holds the long-term first frame, else 0
    int _filled;             // slots [0, _filled) hold references (they fill in order, then the ring wraps)
    int _next;               // the slot the next frame overwrites
    TopKMixer? _mixer;       // with top-k: every target's k best references of the current frame
    Tensor? _tileKeys;       // with top-k and a radius: one tile's reference rectangles, gathered (reused)

    public PropagationSettings Settings => _s;

    /// <summary>How many pieces (bands of rows, or tiles with a radius) the last frame's affinities were
    /// computed in: 1 when the whole matrix fit <see cref="PropagationSettings.ChunkMiB"/>.</summary>
    public int LastFrameChunks { get; private set; }

    /// <param name="firstEmbedding">[D, h, w] embedding of the labelled frame.</param>
    /// <param name="firstLabels">[C, h, w] its labels on the same grid (one-hot or soft).</param>
    /// <param name="settings">Propagation options; null = the paper's.</param>
    public LabelPropagator(Tensor firstEmbedding, Tensor firstLabels, PropagationSettings? settings = null)
    {
        _s = settings ?? PropagationSettings.Paper;
        _s.Validate();
        if (firstEmbedding.dim() != 3 || firstLabels.dim() != 3)
            throw new ArgumentException($"expected embedding [D,h,w] and labels [C,h,w], got [{string.Join(',', firstEmbedding.shape)}] and [{string.Join(',', firstLabels.shape)}]");
        _d = (int)firstEmbedding.shape[0]; _h = (int)firstEmbedding.shape[1]; _w = (int)firstEmbedding.shape[2];
        _c = (int)firstLabels.shape[0];
        if (firstLabels.shape[1] != _h || firstLabels.shape[2] != _w)
            throw new ArgumentException($"labels grid {firstLabels.shape[1]}x{firstLabels.shape[2]} differs from the embedding grid {_h}x{_w}");
        int slots = _s.Window + (_s.LongTermMemory ? 1 : 0);
        _ringStart = _s.LongTermMemory ? 1 : 0;
        // The buffers live as long as the propagator, whatever dispose scope it was created in.
        _keys = zeros(slots, _h, _w, _d, dtype: _s.ComputeType).DetachFromDisposeScope();
        _values = zeros(slots, _h, _w, _c).DetachFromDisposeScope();
        Push(firstEmbedding, firstLabels);
        if (_s.WindowStartsWithCopies)
            while (_filled < slots) Push(firstEmbedding, firstLabels); // the ring is full; the oldest copy goes first
    }

    /// <summary>Soft labels [C, h, w] of the next frame from its embedding [D, h, w]; the frame then becomes a reference.</summary>
    public Tensor Next(Tensor embedding) => Next(embedding, remember: null);

    /// <summary>
    /// As <see cref="Next(Tensor)"/>; the frame becomes a reference with the labels <paramref name="remember"/> makes of
    /// its soft labels ([C, h, w] to [C, h, w]; null: the soft labels as they are). A caller that reads something out of
    /// each frame can feed the read-out back, so that what it rejected (e.g. a joint's map off its body) is not
    /// propagated further.
    /// </summary>
    public Tensor Next(Tensor embedding, Func<Tensor, Tensor>? remember)
    {
        if (embedding.dim() != 3 || embedding.shape[0] != _d || embedding.shape[1] != _h || embedding.shape[2] != _w)
            throw new ArgumentException($"expected an embedding [{_d},{_h},{_w}], got [{string.Join(',', embedding.shape)}]");
        Tensor labels;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var q = Prepare(embedding); // [h, w, D]
            var y = FusedTopK ? AttendTopK(q) : _s.Radius > 0 ? AttendWithinRadius(q) : AttendEverywhere(q); // [h, w, C]
            labels = y.permute(2, 0, 1).contiguous().MoveToOuterDisposeScope(); // [C, h, w]
        }
        if (remember is null) Push(embedding, labels);
        else
            using (var scope = NewDisposeScope())
            {
                var kept = remember(labels);
                if (!kept.shape.SequenceEqual(labels.shape))
                    throw new ArgumentException($"remember must keep the labels' shape [{string.Join(',', labels.shape)}], got [{string.Join(',', kept.shape)}]");
                Push(embedding, kept);
            }
        return labels;
    }

    /// <summary>Number of reference frames the next call of <see cref="Next(Tensor)"/> will use.</summary>
    public int ReferenceCount => _filled;

    void Push(Tensor embedding, Tensor labels)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        _keys[_next].copy_(Prepare(embedding));
        _values[_next].copy_(labels.permute(1, 2, 0));
        _filled = Math.Min(_filled + 1, (int)_keys.shape[0]);
        int ring = _s.Window;
        _next = _ringStart + (_next + 1 - _ringStart) % ring;
    }

    /// <summary>[D, h, w] -> [h, w, D], L2-normalised per location if asked.</summary>
    Tensor Prepare(Tensor embedding)
    {
        var f = embedding.to(float32).permute(1, 2, 0);
        return (_s.L2Normalize ? nn.functional.normalize(f, p: 2, dim: 2) : f).to(_s.ComputeType); // normalised in float32
    }

    /// <summary>
    /// Top-k with chunks goes through <see cref="TopKMixer"/> (the fused mask + top-k); with
    /// <see cref="PropagationSettings.ChunkMiB"/> 0 the whole matrix goes through <see cref="Model.Pointer"/>,
    /// the reference the fused path is tested against.
    /// </summary>
    bool FusedTopK => _s.TopK > 0 && _s.ChunkMiB > 0;

    long BudgetFloats => _s.ChunkMiB == 0 ? long.MaxValue : (long)_s.ChunkMiB * 1024 * 1024 / sizeof(float);

    /// <summary>No radius: every target attends to every location of every reference; chunks are bands of rows.</summary>
    Tensor AttendEverywhere(Tensor q)
    {
        int n = _filled;
        var K = _keys.narrow(0, 0, n).view(n * _h * _w, _d);   // [R, D], a view: no copy
        var V = _values.narrow(0, 0, n).view(n * _h * _w, _c); // [R, C]
        long perRow = (long)_w * n * _h * _w;                  // affinity floats per row of targets
        int rows = (int)Math.Clamp(BudgetFloats / perRow, 1, _h);
        var y = empty(_h, _w, _c);
        LastFrameChunks = 0;
        for (int y0 = 0; y0 < _h; y0 += rows)
        {
            LastFrameChunks++;
            using var scope = NewDisposeScope();
            int r = Math.Min(rows, _h - y0);
            var Q = q.narrow(0, y0, r).reshape(r * _w, _d);   // [B, D]
            y.narrow(0, y0, r).copy_(Mix(Q, K, V, mask: null, n).view(r, _w, _c));
        }
        return y;
    }

    /// <summary>
    /// With a radius: square tiles of targets read only the rectangle of each reference frame within
    /// the radius of the tile, so the work per frame is O(h*w*(tile+2r)^2) instead of O((h*w)^2).
    /// Only the cells within the radius of a target count (the mask); gathering just the tile's rounded
    /// reach (tile^2 + 4*tile*r + pi*r^2 = 900 cells for tiles of 8 and r = 12, against 1024) was measured
    /// no faster: the row gather costs what the 12% of the products it saves did.
    /// </summary>
    Tensor AttendWithinRadius(Tensor q)
    {
        int n = _filled;
        bool spareFirst = _s.RadiusSparesFirstFrame && _ringStart == 1; // the first frame is searched everywhere
        int f = spareFirst ? 1 : 0;  // slots read whole (the long-term first frame), before the windowed ones
        int reach = (int)Math.Floor(_s.Radius);
        int side = _s.ChunkMiB == 0 ? Math.Max(_h, _w) : Math.Min(_s.TileSide, Math.Max(_h, _w));
        long whole = f * (long)_h * _w;
        while (side > 1 && (long)side * side * ((n - f) * (side + 2L * reach) * (side + 2L * reach) + whole) > BudgetFloats) side--;
        var y = empty(_h, _w, _c);
        LastFrameChunks = 0;
        foreach (var t in Tiles(side, reach))
        {
            LastFrameChunks++;
            using var scope = NewDisposeScope();
            int rt = t.Rh * t.Rw;
            var K = _keys.narrow(0, f, n - f).narrow(1, t.Ry0, t.Rh).narrow(2, t.Rx0, t.Rw).reshape((n - f) * rt, _d);   // [(n-f)*Rt, D]
            var V = _values.narrow(0, f, n - f).narrow(1, t.Ry0, t.Rh).narrow(2, t.Rx0, t.Rw).reshape((n - f) * rt, _c); // [(n-f)*Rt, C]
            var Q = q.narrow(0, t.Ty0, t.Th).narrow(1, t.Tx0, t.Tw).reshape(t.Th * t.Tw, _d);                           // [B, D]
            var mask = WithinRadius(t.Ty0, t.Th, t.Tx0, t.Tw, t.Ry0, t.Ry0 + t.Rh, t.Rx0, t.Rx0 + t.Rw); // [B, Rt], shared by the windowed frames
            if (spareFirst)
            {
                K = cat([_keys[0].view(_h * _w, _d), K]);   // [hw + (n-1)*Rt, D]
                V = cat([_values[0].view(_h * _w, _c), V]); // [hw + (n-1)*Rt, C]
                mask = cat([ones(t.Th * t.Tw, _h * _w, ScalarType.Bool), mask.repeat(1, n - 1)], dim: 1); // [B, hw + (n-1)*Rt]
            }
            y.narrow(0, t.Ty0, t.Th).narrow(1, t.Tx0, t.Tw).copy_(Mix(Q, K, V, mask, n).view(t.Th, t.Tw, _c));
        }
        return y;
    }

    /// <summary>
    /// Top-k, fused (<see cref="TopKMixer"/>): the affinities are computed block by block and each block
    /// is read once while it is hot. Slots searched everywhere (all of them without a radius, or the spared
    /// first frame) come in bands of targets against whole frames; slots held to the radius come in square
    /// tiles of targets against the rectangle within the radius of the tile, of which each target reads
    /// only its own disc. Nothing of size [targets, references] outlives a block.
    /// </summary>
    Tensor AttendTopK(Tensor q)
    {
        int n = _filled, hw = _h * _w;
        int whole = _s.Radius <= 0 ? n : _s.RadiusSparesFirstFrame && _ringStart == 1 ? 1 : 0; // slots [0, whole) everywhere, [whole, n) within the radius
        var mixer = _mixer ??= new TopKMixer(hw, _s.TopK);
        mixer.Clear();
        LastFrameChunks = 0;
        if (whole > 0)
        {
            var K = _keys.narrow(0, 0, whole).view(whole * hw, _d);                 // [whole*hw, D], a view
            var Q = q.reshape(hw, _d);                                              // [hw, D]
            // Bands small enough that a band's scores stay in the cache until they are read.
            int band = (int)Math.Clamp(Math.Min(BudgetFloats, BandFloats) / (whole * (long)hw), 1, hw);
            for (int t0 = 0; t0 < hw; t0 += band)
            {
                LastFrameChunks++;
                using var scope = NewDisposeScope();
                int b = Math.Min(band, hw - t0);
                var scores = Q.narrow(0, t0, b).matmul(K.t());                      // [b, whole*hw]
                mixer.OfferRows(scores, t0, 0);
            }
        }
        if (whole < n)
        {
            int frames = n - whole, reach = (int)Math.Floor(_s.Radius);
            int side = Math.Min(_s.TileSide, Math.Max(_h, _w));
            while (side > 1 && (long)side * side * frames * (side + 2L * reach) * (side + 2L * reach) > BudgetFloats) side--;
            long span = (long)Math.Min(_h, side + 2 * reach) * Math.Min(_w, side + 2 * reach);
            if (_tileKeys is null || _tileKeys.numel() < frames * span * _d)
            {
                _tileKeys?.Dispose();
                _tileKeys = empty(frames * span * _d, dtype: _s.ComputeType).DetachFromDisposeScope();
            }
            var halfWidth = DiscHalfWidths(_s.Radius);
            foreach (var t in Tiles(side, reach))
            {
                LastFrameChunks++;
                using var scope = NewDisposeScope();
                // The rectangles are copied into one reused buffer: a fresh tensor per tile cost a page fault per 4 KiB.
                var K = _tileKeys.narrow(0, 0, (long)frames * t.Rh * t.Rw * _d).view(frames, t.Rh, t.Rw, _d);
                K.copy_(_keys.narrow(0, whole, frames).narrow(1, t.Ry0, t.Rh).narrow(2, t.Rx0, t.Rw)); // [frames, rh, rw, D]
                var Q = q.narrow(0, t.Ty0, t.Th).narrow(1, t.Tx0, t.Tw).reshape(t.Th * t.Tw, _d);      // [B, D]
                var scores = Q.matmul(K.view(frames * t.Rh * t.Rw, _d).t());                           // [B, frames*rh*rw]
                mixer.OfferDiscs(scores, t.Ty0, t.Th, t.Tx0, t.Tw, t.Ry0, t.Rh, t.Rx0, t.Rw, whole, _h, _w, halfWidth);
            }
        }
        var y = empty(_h, _w, _c);
        mixer.Mix(_values, _s.Temperature, y);
        return y;
    }

    /// <summary>A band's scores: 2^20 of them (2 MiB in bfloat16, 4 in float32), which the cache holds until the mixer has read them.</summary>
    const long BandFloats = 1L << 20;

    /// <summary>halfWidth[|dy|] = the largest |dx| with dx^2 + dy^2 &lt;= radius^2 (the disc as row segments).</summary>
    internal static int[] DiscHalfWidths(double radius)
    {
        int reach = (int)Math.Floor(radius);
        double r2 = radius * radius;
        var half = new int[reach + 1];
        for (int dy = 0; dy <= reach; dy++)
        {
            int dx = (int)Math.Floor(Math.Sqrt(r2 - dy * dy));
            while ((double)(dx + 1) * (dx + 1) + dy * dy <= r2) dx++;
            while (dx > 0 && (double)dx * dx + dy * dy > r2) dx--;
            half[dy] = dx;
        }
        return half;
    }

    /// <summary>A square tile of targets (rows ty0.., columns tx0..) and the rectangle of cells within <c>reach</c> of it.</summary>
    readonly record struct Tile(int Ty0, int Th, int Tx0, int Tw, int Ry0, int Rh, int Rx0, int Rw);

    IEnumerable<Tile> Tiles(int side, int reach)
    {
        for (int ty0 = 0; ty0 < _h; ty0 += side)
            for (int tx0 = 0; tx0 < _w; tx0 += side)
            {
                int th = Math.Min(side, _h - ty0), tw = Math.Min(side, _w - tx0);
                int ry0 = Math.Max(0, ty0 - reach), rx0 = Math.Max(0, tx0 - reach);
                yield return new Tile(ty0, th, tx0, tw, ry0, Math.Min(_h, ty0 + th + reach) - ry0, rx0, Math.Min(_w, tx0 + tw + reach) - rx0);
            }
    }

    /// <summary>[B, Rt] true where reference cell (ry, rx) is within the radius of target cell (ty, tx).</summary>
    Tensor WithinRadius(int ty0, int th, int tx0, int tw, int ry0, int ry1, int rx0, int rx1)
    {
        var ty = Range(ty0, ty0 + th, float32).view(th, 1).expand(th, tw).reshape(-1);  // [B]
        var tx = Range(tx0, tx0 + tw, float32).view(1, tw).expand(th, tw).reshape(-1);
        int rh = ry1 - ry0, rw = rx1 - rx0;
        var ry = Range(ry0, ry1, float32).view(rh, 1).expand(rh, rw).reshape(-1);        // [Rt]
        var rx = Range(rx0, rx1, float32).view(1, rw).expand(rh, rw).reshape(-1);
        var d2 = (ty.unsqueeze(1) - ry.unsqueeze(0).Safe()).Squared() + (tx.unsqueeze(1) - rx.unsqueeze(0).Safe()).Squared(); // [B, Rt]
        return d2 <= _s.Radius * _s.Radius;
    }

    /// <summary>
    /// The pointer (<see cref="SparsePointer.Copy"/>) for one chunk of targets Q [B, D] against
    /// references K [R, D] with labels V [R, C]: temperature, the radius mask ([B, R/n] shared by the
    /// n reference frames, or [B, R] whole), top-k.
    /// </summary>
    Tensor Mix(Tensor Q, Tensor K, Tensor V, Tensor? mask, int n) =>
        SparsePointer.Copy(K, V, Q, _s.Temperature, allowed: mask, topK: _s.TopK); // [B, C]

    public void Dispose()
    {
        _keys.Dispose();
        _values.Dispose();
        _tileKeys?.Dispose();
    }
}
