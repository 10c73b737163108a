using ColorTrack.Color;
using OpenCvSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Data;

/// <summary>
/// The training data of the paper (sections 3.2, 3.4): batches of clips of 4 frames (3 references,
/// then the target) drawn at random from a video set at 6 fps, as
///   gray  [B, 4, 1, H, W] = L / 50 - 1 in [-1, 1]        (the network's input)
///   bins  [B, 4, h, w]    = k-means bin of the ab colour, area-averaged to the feature grid.
/// Background workers prepare batches ahead of the trainer. Batch i is drawn with a generator seeded
/// by (seed, i) and handed out in order, so the sequence depends on the seed only, not on the
/// number of workers or their timing.
/// </summary>
public sealed class ClipSampler : IClipSource
{
    readonly VideoSet _videos;
    readonly KMeansColorQuantizer _bins;
    readonly ClipSamplerOptions _o;
    readonly DecodedFrameCache _cache;
    readonly bool[] _tooShort;

    // Producer/consumer: workers claim batch indices in order, park finished batches here, and the
    // consumer takes them in index order. The semaphore bounds how far workers run ahead.
    readonly Dictionary<long, RawBatch> _ready = new();
    readonly SemaphoreSlim _slots;
    readonly CancellationTokenSource _stop = new();
    readonly Task[] _workers;
    long _nextToBuild = -1, _nextToHand;
    Exception? _failure;

    /// <summary>A batch as plain arrays (tensors are made on the consumer's thread); Chroma is null without LabInput.</summary>
    internal sealed record RawBatch(float[] Gray, long[] Bins, float[]? Chroma, float[] CellLab);

    public int BatchSize => _o.BatchSize;
    public ClipSamplerOptions Options => _o;

    /// <summary>Videos whose clips are drawn.</summary>
    public VideoSet Videos => _videos;

    public ClipSampler(VideoSet videos, KMeansColorQuantizer bins, ClipSamplerOptions? options = null, bool start = true)
    {
        _o = options ?? ClipSamplerOptions.Paper;
        _o.Validate();
        _videos = videos;
        _bins = bins;
        _cache = videos.CacheFor(_o);
        _tooShort = new bool[videos.Count];
        _slots = new SemaphoreSlim(_o.Prefetch);
        _workers = start ? Enumerable.Range(0, _o.Workers).Select(_ => Task.Factory.StartNew(Work, TaskCreationOptions.LongRunning)).ToArray() : Array.Empty<Task>();
    }

    /// <summary>The next batch, in order; blocks until it is ready. Rethrows a worker's failure (e.g. a bad video).</summary>
    public ClipBatch Next(CancellationToken cancel = default)
    {
        if (_workers.Length == 0) throw new InvalidOperationException("sampler was created with start: false; use BuildBatch");
        RawBatch raw;
        lock (_ready)
        {
            while (!_ready.Remove(_nextToHand, out raw!))
            {
                if (_failure != null) throw _failure;
                cancel.ThrowIfCancellationRequested();
                Monitor.Wait(_ready, 50);
            }
            _nextToHand++;
        }
        _slots.Release();
        return ToTensors(raw);
    }

    /// <summary>Build batch <paramref name="index"/> synchronously (the same arrays a worker would build).</summary>
    internal RawBatch BuildBatch(long index)
    {
        var rng = new Random(unchecked((int)(_o.Seed * 1_000_003L + index * 7919L + 1)));
        int B = _o.BatchSize, T = _o.ClipLength, S = _o.FrameSize, f = _o.FeatureSize;
        var gray = new float[B * T * S * S];                          // [B, T, 1, S, S]
        var bins = new long[B * T * f * f];                           // [B, T, f, f]
        var chroma = _o.LabInput ? new float[B * T * 2 * S * S] : null; // [B, T, 2, S, S]
        var cellLab = new float[B * T * 3 * f * f];                   // [B, T, 3, f, f]
        for (int b = 0; b < B; b++)
        {
            var frames = DrawClip(rng);
            var crop = DrawCrop(rng);
            var (vx, vy) = DrawPan(rng, crop, T);
            var jitter = DrawJitter(rng);
            for (int t = 0; t < T; t++)
            {
                var moved = crop with { X = crop.X + (int)Math.Round(t * vx), Y = crop.Y + (int)Math.Round(t * vy) };
                int bt = b * T + t;
                PrepareFrame(frames[t], moved, jitter, gray.AsSpan(bt * S * S, S * S), bins.AsSpan(bt * f * f, f * f),
                    chroma is null ? default : chroma.AsSpan(bt * 2 * S * S, 2 * S * S), cellLab.AsSpan(bt * 3 * f * f, 3 * f * f));
            }
        }
        return new RawBatch(gray, bins, chroma, cellLab);
    }

    internal ClipBatch ToTensors(RawBatch raw)
    {
        int B = _o.BatchSize, T = _o.ClipLength, S = _o.FrameSize, f = _o.FeatureSize;
        return new ClipBatch(
            tensor(raw.Gray, new long[] { B, T, 1, S, S }), tensor(raw.Bins, new long[] { B, T, f, f }),
            raw.Chroma is null ? null : tensor(raw.Chroma, new long[] { B, T, 2, S, S }),
            tensor(raw.CellLab, new long[] { B, T, 3, f, f }));
    }

    /// <summary>A random video with enough frames, and ClipLength consecutive frames of it.</summary>
    byte[][] DrawClip(Random rng)
    {
        for (int attempt = 0; attempt < 100 * _videos.Count; attempt++)
        {
            int v = rng.Next(_videos.Count);
            if (_tooShort[v]) continue;
            var frames = _cache.Frames(v);
            if (frames.Length < _o.ClipLength) { _tooShort[v] = true; continue; } // a property of the data: deterministic
            int start = rng.Next(frames.Length - _o.ClipLength + 1);
            return frames[start..(start + _o.ClipLength)];
        }
        throw new BadInputException(_videos.Videos[0].Name, $"no video has {_o.ClipLength} frames at {_o.FramesPerSecond} fps");
    }

    readonly record struct Crop(int X, int Y, int Size, bool Flip);

    Crop DrawCrop(Random rng)
    {
        int c = _o.CacheSize;
        if (!_o.Augment) return new Crop(0, 0, c, false);
        int size = (int)Math.Round(c * (_o.MinCropScale + (_o.MaxCropScale - _o.MinCropScale) * rng.NextDouble()));
        size = Math.Clamp(size, _o.FrameSize, c);
        return new Crop(rng.Next(c - size + 1), rng.Next(c - size + 1), size, rng.Next(2) == 1);
    }

    /// <summary>
    /// A simulated camera pan for one clip: the crop moves by (vx, vy) cached pixels per frame, each
    /// drawn in [-CameraPan, CameraPan] x the crop side, shrunk so the last frame's window still fits.
    /// Draws nothing from <paramref name="rng"/> when the pan is off, so the paper's batches are unchanged.
    /// </summary>
    (double Vx, double Vy) DrawPan(Random rng, Crop crop, int frames)
    {
        if (!_o.Augment || _o.CameraPan <= 0 || frames < 2) return (0, 0);
        double Axis(int start)
        {
            var v = (2 * rng.NextDouble() - 1) * _o.CameraPan * crop.Size;
            var room = v >= 0 ? _o.CacheSize - crop.Size - start : start; // pixels the window can travel that way
            return Math.Sign(v) * Math.Min(Math.Abs(v), room / (double)(frames - 1));
        }
        return (Axis(crop.X), Axis(crop.Y));
    }

    /// <summary>A clip's colour jitter: L' = gain L + offset; (a', b') = chroma gain x rotation(angle) (a, b).</summary>
    readonly record struct Jitter(float Gain, float Offset, float Cos, float Sin)
    {
        public static readonly Jitter None = new(1, 0, 1, 0);
        public bool IsNone => this == None;
    }

    /// <summary>Draws nothing from <paramref name="rng"/> when jitter is off, so the paper's batches are unchanged.</summary>
    Jitter DrawJitter(Random rng)
    {
        var s = _o.ColorJitter;
        if (!_o.Augment || s <= 0) return Jitter.None;
        double U() => 2 * rng.NextDouble() - 1;                                  // uniform in [-1, 1]
        var gain = 1 + s * U();
        var offset = 100 * s * 0.5 * U();                                        // up to ±5 L at s = 0.1
        var angle = s * U();                                                     // hue rotation, radians
        var chroma = 1 + s * U();
        return new Jitter((float)gain, (float)offset, (float)(chroma * Math.Cos(angle)), (float)(chroma * Math.Sin(angle)));
    }

    /// <summary>Per-thread scratch planes, so preparing a frame allocates nothing on the large-object heap.</summary>
    sealed class Scratch(int s, int f)
    {
        public readonly byte[] Rgb = new byte[s * s * 3];
        public readonly float[] A = new float[s * s], B = new float[s * s], CellA = new float[f * f], CellB = new float[f * f];
        public readonly int[] Bins = new int[f * f];
    }

    [ThreadStatic] static Scratch? _scratch;

    /// <summary>
    /// Crop, resize and flip one cached frame, convert to Lab (and jitter it), write the gray input,
    /// the a, b input planes (when asked for), and per cell the target bin and the mean Lab colour.
    /// </summary>
    void PrepareFrame(byte[] cached, Crop crop, Jitter jitter, Span<float> gray, Span<long> bins, Span<float> chroma, Span<float> cellLab)
    {
        int S = _o.FrameSize, c = _o.CacheSize, f = _o.FeatureSize, stride = _o.Stride;
        var scratch = _scratch is { } sc && sc.A.Length == S * S && sc.Bins.Length == f * f ? sc : (_scratch = new Scratch(S, f));
        byte[] rgb;
        if (crop.Size == S && !crop.Flip && c == S) rgb = cached;
        else
        {
            using var src = Mat.FromPixelData(c, c, MatType.CV_8UC3, cached);
            using var roi = new Mat(src, new Rect(crop.X, crop.Y, crop.Size, crop.Size));
            using var resized = Mat.FromPixelData(S, S, MatType.CV_8UC3, scratch.Rgb); // OpenCV writes straight into the scratch bytes
            Cv2.Resize(roi, resized, new OpenCvSharp.Size(S, S), 0, 0, InterpolationFlags.Area);
            if (crop.Flip) Cv2.Flip(resized, resized, FlipMode.Y);
            rgb = scratch.Rgb;
        }
        var (a, b) = (scratch.A, scratch.B);
        LabColor.RgbToLab(rgb, gray, a, b, parallel: false); // one worker per core already; gray holds L for now
        if (!jitter.IsNone)
            for (int i = 0; i < gray.Length; i++)
            {
                gray[i] = Math.Clamp(jitter.Gain * gray[i] + jitter.Offset, 0f, 100f);
                (a[i], b[i]) = (jitter.Cos * a[i] - jitter.Sin * b[i], jitter.Sin * a[i] + jitter.Cos * b[i]);
            }
        // Targets: L, a, b averaged over each stride x stride cell (area down-sampling); ab then binned.
        var cl = cellLab[..(f * f)];
        var (ca, cb) = (scratch.CellA, scratch.CellB);
        cl.Clear(); Array.Clear(ca); Array.Clear(cb);
        float norm = 1f / (stride * stride);
        for (int y = 0; y < S; y++)
        {
            int row = (y / stride) * f;
            for (int x = 0; x < S; x++)
            {
                cl[row + x / stride] += gray[y * S + x];
                ca[row + x / stride] += a[y * S + x];
                cb[row + x / stride] += b[y * S + x];
            }
        }
        for (int i = 0; i < ca.Length; i++) { cl[i] *= norm; ca[i] *= norm; cb[i] *= norm; }
        _bins.Bins(ca, cb, scratch.Bins);
        for (int i = 0; i < f * f; i++)
        {
            bins[i] = scratch.Bins[i];
            cellLab[i] = NetworkColor.Lightness(cl[i]);
            cellLab[f * f + i] = NetworkColor.Chroma(ca[i]);
            cellLab[2 * f * f + i] = NetworkColor.Chroma(cb[i]);
        }
        for (int i = 0; i < gray.Length; i++) gray[i] = NetworkColor.Lightness(gray[i]);
        if (chroma.IsEmpty) return;
        for (int i = 0; i < a.Length; i++)
        {
            chroma[i] = NetworkColor.Chroma(a[i]);
            chroma[a.Length + i] = NetworkColor.Chroma(b[i]);
        }
    }

    void Work()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                _slots.Wait(_stop.Token);
                long index = Interlocked.Increment(ref _nextToBuild);
                var batch = BuildBatch(index);
                lock (_ready) { _ready[index] = batch; Monitor.PulseAll(_ready); }
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception e)
        {
            lock (_ready) { _failure ??= e; Monitor.PulseAll(_ready); }
        }
    }

    /// <summary>Bytes of decoded frames held in memory.</summary>
    public long CachedBytes => _cache.Bytes;

    public void Dispose()
    {
        _stop.Cancel();
        try { Task.WaitAll(_workers); } catch (AggregateException) { }
        _stop.Dispose();
        _slots.Dispose();
    }
}
