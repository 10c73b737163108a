using ColorTrack.Video;

namespace ColorTrack.Data;

/// <summary>
/// Decoded training frames of each video, resampled and down-sized once, then kept in memory:
/// a video is streamed from disk the first time one of its clips is drawn, and only its small
/// frames are kept. Beyond the memory budget the least recently used videos are dropped (and
/// decoded again when needed, with identical results). Thread-safe.
/// </summary>
internal sealed class DecodedFrameCache(VideoSet videos, ClipSamplerOptions options)
{
    readonly object _gate = new();
    readonly Dictionary<int, Lazy<byte[][]>> _loaded = new();
    readonly LinkedList<int> _recent = new(); // most recent first
    readonly HashSet<int> _counted = new();   // decoded videos whose bytes are in _bytes
    long _bytes;

    /// <summary>Frames of video <paramref name="v"/>, RGB24 CacheSize x CacheSize each.</summary>
    public byte[][] Frames(int v)
    {
        Lazy<byte[][]> lazy;
        lock (_gate)
        {
            if (!_loaded.TryGetValue(v, out lazy!))
            {
                lazy = new Lazy<byte[][]>(() => Decode(v), LazyThreadSafetyMode.ExecutionAndPublication);
                _loaded[v] = lazy;
            }
            _recent.Remove(v);
            _recent.AddFirst(v);
        }
        var frames = lazy.Value;
        lock (_gate)
        {
            if (!_counted.Contains(v) && _loaded.ContainsKey(v)) { _counted.Add(v); _bytes += frames.Sum(f => (long)f.Length); }
            // Evict from the cold end, never the video just asked for.
            while (_bytes > (long)options.CacheMegabytes << 20 && _recent.Count > 1)
            {
                int old = _recent.Last!.Value;
                _recent.RemoveLast();
                if (_loaded.Remove(old, out var gone) && _counted.Remove(old)) _bytes -= gone.Value.Sum(f => (long)f.Length);
            }
        }
        return frames;
    }

    byte[][] Decode(int v)
    {
        var entry = videos.Videos[v];
        int size = options.CacheSize;
        var o = new FrameSourceOptions(TargetFps: entry.Resample ? options.FramesPerSecond : null, Width: size, Height: size);
        using var source = entry.Open(o);
        // Sources that ignore the requested size (synthetic) are resized here.
        return source.Frames().Select(f => OpenCvFrames.Resize(f.Rgb, f.Width, f.Height, size, size)).ToArray();
    }

    /// <summary>Bytes held now.</summary>
    public long Bytes { get { lock (_gate) return _bytes; } }
}
