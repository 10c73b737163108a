using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace ColorTrack.Propagation;

/// <summary>
/// The pointer with top-k (<see cref="SparsePointer.Copy"/> with <c>topK</c> and a radius mask) fused
/// for the label propagator on the CPU: every target location keeps its k best references while the
/// affinity blocks are computed, so no [targets, references] mask, top-k sort or index tensor is ever
/// formed. At the end each target mixes the labels of its k references,
///     y_j = sum_{i in topk(j)} softmax_i(f_i . f_j / T) c_i.
///
/// Why by hand: at 480p (CRW's settings) a frame offers every target 6,420 first-frame cells plus
/// 20 frames x 441 disc cells; masking and sorting those with tensor ops cost twice the products
/// themselves. Here a block is read once: a vector compare against the target's current k-th best
/// skips almost every score, and the disc is walked as row segments, so cells outside it are never
/// read. Scores come as float32 or bfloat16 (the upper half of a float32).
/// </summary>
internal sealed class TopKMixer
{
    readonly int _k;
    readonly float[] _score; // [targets, k] the best scores so far, descending
    readonly int[] _ref;     // [targets, k] their references: flat cell index (slot * h + y) * w + x
    readonly int[] _count;   // [targets] how many of the k places are filled

    public TopKMixer(int targets, int k)
    {
        _k = k;
        _score = new float[targets * k];
        _ref = new int[targets * k];
        _count = new int[targets];
    }

    public int Targets => _count.Length;

    public void Clear() => Array.Clear(_count);

    /// <summary>
    /// Dense block: row r of <paramref name="scores"/> [targets, refs] holds target
    /// <paramref name="firstTarget"/> + r against references <paramref name="firstRef"/> .. + refs - 1.
    /// </summary>
    public void OfferRows(Tensor scores, int firstTarget, int firstRef)
    {
        int targets = (int)scores.shape[0], refs = (int)scores.shape[1];
        if (IsBFloat16(scores)) OfferRows(Scores<ushort>(scores), targets, refs, firstTarget, firstRef);
        else OfferRows(Scores<float>(scores), targets, refs, firstTarget, firstRef);
    }

    void OfferRows<T>(ReadOnlySpan<T> scores, int targets, int refs, int firstTarget, int firstRef) where T : unmanaged
    {
        for (int r = 0; r < targets; r++)
            OfferRun(scores.Slice(r * refs, refs), firstTarget + r, firstRef);
    }

    /// <summary>
    /// Tile block: <paramref name="scores"/> [th * tw, frames * rh * rw] holds the tile's targets
    /// (rows ty0.., columns tx0.. of an h x w grid) against the rectangle [ry0, ry0 + rh) x [rx0, rx0 + rw)
    /// of consecutive slots from <paramref name="firstSlot"/>; each target reads only the cells within
    /// its disc (halfWidth[|dy|] = the largest |dx| with dx^2 + dy^2 within the radius).
    /// </summary>
    public void OfferDiscs(Tensor scores, int ty0, int th, int tx0, int tw, int ry0, int rh, int rx0, int rw,
                           int firstSlot, int h, int w, int[] halfWidth)
    {
        int frames = (int)(scores.shape[1] / (rh * rw));
        if (IsBFloat16(scores)) OfferDiscs(Scores<ushort>(scores), ty0, th, tx0, tw, ry0, rh, rx0, rw, frames, firstSlot, h, w, halfWidth);
        else OfferDiscs(Scores<float>(scores), ty0, th, tx0, tw, ry0, rh, rx0, rw, frames, firstSlot, h, w, halfWidth);
    }

    void OfferDiscs<T>(ReadOnlySpan<T> scores, int ty0, int th, int tx0, int tw, int ry0, int rh, int rx0, int rw,
                       int frames, int firstSlot, int h, int w, int[] halfWidth) where T : unmanaged
    {
        int rt = rh * rw, reach = halfWidth.Length - 1, columns = frames * rt;
        for (int b = 0; b < th * tw; b++)
        {
            int ty = ty0 + b / tw, tx = tx0 + b % tw;
            var row = scores.Slice(b * columns, columns);
            for (int dy = -reach; dy <= reach; dy++)
            {
                int ry = ty + dy;
                if (ry < ry0 || ry >= ry0 + rh) continue;
                int half = halfWidth[Math.Abs(dy)];
                int x0 = Math.Max(rx0, tx - half), x1 = Math.Min(rx0 + rw - 1, tx + half);
                if (x0 > x1) continue;
                for (int f = 0; f < frames; f++)
                {
                    int at = f * rt + (ry - ry0) * rw + (x0 - rx0);
                    OfferRun(row.Slice(at, x1 - x0 + 1), ty * w + tx, ((firstSlot + f) * h + ry) * w + x0);
                }
            }
        }
    }

    /// <summary>Target <paramref name="target"/> against consecutive references firstRef, firstRef + 1, ...</summary>
    void OfferRun<T>(ReadOnlySpan<T> run, int target, int firstRef) where T : unmanaged
    {
        int n = run.Length, i = 0;
        float threshold = Threshold(target);
        // Eight scores at a time: one compare skips them unless one beats the k-th best so far.
        if (Vector256.IsHardwareAccelerated)
        {
            var limit = Vector256.Create(threshold);
            for (; i + 8 <= n; i += 8)
            {
                var v = Load8(run, i);
                if (!Vector256.GreaterThanAny(v, limit)) continue;
                for (int j = i; j < i + 8; j++)
                {
                    float s = Load(run[j]);
                    if (s > threshold) threshold = Insert(target, s, firstRef + j);
                }
                limit = Vector256.Create(threshold);
            }
        }
        for (; i < n; i++)
        {
            float s = Load(run[i]);
            if (s > threshold) threshold = Insert(target, s, firstRef + i);
        }
    }

    /// <summary>The score a new candidate must beat: -inf until k are held, then the k-th best.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    float Threshold(int target) => _count[target] < _k ? float.NegativeInfinity : _score[target * _k + _k - 1];

    /// <summary>Insert into the target's sorted list (dropping the k-th when full); returns the new threshold.</summary>
    float Insert(int target, float s, int reference)
    {
        int at = target * _k, n = _count[target];
        int j = n < _k ? n++ : _k - 1;          // the free place, or the k-th best's place (dropped)
        while (j > 0 && _score[at + j - 1] < s) // shift the worse ones down
        {
            _score[at + j] = _score[at + j - 1];
            _ref[at + j] = _ref[at + j - 1];
            j--;
        }
        _score[at + j] = s;
        _ref[at + j] = reference;
        _count[target] = n;
        return n < _k ? float.NegativeInfinity : _score[at + _k - 1];
    }

    /// <summary>
    /// y [targets, C] (any shape of that size, float32) = each target's softmax over its k scores / T
    /// times the references' labels, <paramref name="labels"/> [slots, h, w, C] float32, indexed like the references.
    /// </summary>
    public void Mix(Tensor labels, double temperature, Tensor y)
    {
        int c = (int)labels.shape[^1];
        Mix(Scores<float>(labels), c, temperature, MemoryMarshal.Cast<byte, float>(y.bytes));
    }

    void Mix(ReadOnlySpan<float> labels, int c, double temperature, Span<float> y)
    {
        var weights = new double[_k];
        for (int t = 0; t < _count.Length; t++)
        {
            int n = _count[t], at = t * _k;
            var yt = y.Slice(t * c, c);
            yt.Clear();
            if (n == 0) continue;
            double best = _score[at], sum = 0;
            for (int j = 0; j < n; j++) sum += weights[j] = Math.Exp((_score[at + j] - best) / temperature);
            for (int j = 0; j < n; j++)
            {
                float a = (float)(weights[j] / sum);
                var l = labels.Slice(_ref[at + j] * c, c);
                for (int ch = 0; ch < c; ch++) yt[ch] += a * l[ch];
            }
        }
    }

    /// <summary>The held references of a target, best first (for tests).</summary>
    internal (float Score, int Reference)[] Held(int target) =>
        Enumerable.Range(0, _count[target]).Select(j => (_score[target * _k + j], _ref[target * _k + j])).ToArray();

    static bool IsBFloat16(Tensor scores) => scores.dtype == ScalarType.BFloat16;

    /// <summary>A contiguous CPU tensor's elements, in place (no copy).</summary>
    static ReadOnlySpan<T> Scores<T>(Tensor t) where T : unmanaged
    {
        if (!t.is_contiguous() || t.device_type != TorchSharp.DeviceType.CPU)
            throw new ArgumentException("the mixer reads contiguous CPU tensors");
        return MemoryMarshal.Cast<byte, T>(t.bytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float Load<T>(T v) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return Unsafe.As<T, float>(ref v);
        if (typeof(T) == typeof(ushort)) return BitConverter.Int32BitsToSingle(Unsafe.As<T, ushort>(ref v) << 16); // bfloat16
        throw new NotSupportedException($"scores of type {typeof(T).Name}");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Load8<T>(ReadOnlySpan<T> run, int i) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(run)), (nuint)i);
        if (typeof(T) == typeof(ushort))
        {
            var half = Vector128.LoadUnsafe(ref Unsafe.As<T, ushort>(ref MemoryMarshal.GetReference(run)), (nuint)i); // 8 bfloat16
            return Vector256.ShiftLeft(Vector256.WidenLower(half.ToVector256Unsafe()), 16).AsSingle();
        }
        throw new NotSupportedException($"scores of type {typeof(T).Name}");
    }
}
