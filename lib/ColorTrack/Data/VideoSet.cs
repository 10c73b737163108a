using ColorTrack.Synthetic;
using ColorTrack.Video;

namespace ColorTrack.Data;

/// <summary>
/// A set of training videos, each opened on demand. Built from paths — a video file, a folder of
/// numbered images, a DAVIS root (JPEGImages/480p/&lt;seq&gt;/), a folder of any of these, or a list
/// file (.txt, one path per line, relative to the list) — or from the synthetic generator.
/// </summary>
public sealed class VideoSet
{
    /// <summary>One video: its name, how to open it, and whether to resample it to the training rate.</summary>
    /// <param name="Name">Unique within the set.</param>
    /// <param name="Open">Opens the video with the given options.</param>
    /// <param name="Resample">False for synthetic videos, whose motion is already designed per frame.</param>
    public sealed record Entry(string Name, Func<FrameSourceOptions, IFrameSource> Open, bool Resample = true);

    public IReadOnlyList<Entry> Videos { get; }

    public VideoSet(IReadOnlyList<Entry> videos)
    {
        if (videos.Count == 0) throw new ArgumentException("a video set needs at least one video");
        Videos = videos;
    }

    public int Count => Videos.Count;

    /// <summary>
    /// Shard <paramref name="shard"/> of <paramref name="shards"/>: the videos i with i mod shards = shard
    /// (disjoint shards that together are the whole set; data-parallel training gives one to each).
    /// </summary>
    public VideoSet Shard(int shard, int shards)
    {
        if (shards < 1 || shard < 0 || shard >= shards) throw new ArgumentOutOfRangeException(nameof(shard), $"shard {shard} of {shards}");
        if (shards == 1) return this;
        if (Count < shards) throw BadInputException.Setting("TrainingConfig.MicroBatches", $"{Count} training videos cannot be cut into {shards} disjoint shards (ranks x micro-batches): give at least {shards} videos");
        return new VideoSet(Videos.Where((_, i) => i % shards == shard).ToList());
    }

    // Decoded frames are kept with the set, so samplers opened again on it (a resumed run, a
    // benchmark with another worker count) reuse them: one cache per (frame size, frame rate).
    readonly Dictionary<(int Size, double Fps), DecodedFrameCache> _caches = new();

    internal DecodedFrameCache CacheFor(ClipSamplerOptions o)
    {
        lock (_caches)
        {
            if (!_caches.TryGetValue((o.CacheSize, o.FramesPerSecond), out var cache))
                _caches[(o.CacheSize, o.FramesPerSecond)] = cache = new DecodedFrameCache(this, o);
            return cache;
        }
    }

    /// <summary>Resolve paths to videos; a path that holds none is a <see cref="BadInputException"/> naming it.</summary>
    public static VideoSet FromPaths(IEnumerable<string> paths)
    {
        var seen = new HashSet<string>();
        var entries = new List<Entry>();
        foreach (var path in ResolvePaths(paths))
        {
            var name = Path.GetFileNameWithoutExtension(path.TrimEnd(Path.DirectorySeparatorChar));
            for (int k = 2; !seen.Add(name); k++) name = $"{Path.GetFileNameWithoutExtension(path)}-{k}";
            var p = path;
            entries.Add(new Entry(name, o => FrameSources.Open(p, o)));
        }
        return new VideoSet(entries);
    }

    /// <summary>The video files and frame folders that <paramref name="paths"/> name (lists and folders expanded), in order.</summary>
    public static IReadOnlyList<string> ResolvePaths(IEnumerable<string> paths)
    {
        var found = new List<string>();
        foreach (var p in paths) Collect(p, found, depth: 0);
        return found.Distinct().ToList();
    }

    /// <summary>
    /// <paramref name="count"/> synthetic videos generated in memory (seeded like
    /// <see cref="SyntheticVideoGenerator.WriteDataset"/>, so the same seed gives the same videos).
    /// With <paramref name="resample"/> the sampler draws clips at its training rate (6 fps) from the
    /// videos' nominal rate (24 fps), as the paper does with real video: objects then move several
    /// pixels between a clip's frames, and staying in place no longer predicts the colours.
    /// </summary>
    public static VideoSet Synthetic(int count, SyntheticVideoOptions options, bool resample = false) =>
        new(Enumerable.Range(0, count).Select(i => new Entry($"synth-{i:D3}",
            _ => SyntheticVideoGenerator.Generate(options with { Seed = SyntheticVideoGenerator.SequenceSeed(options.Seed, i) }, $"synth-{i:D3}").AsFrameSource(),
            Resample: resample)).ToList());

    /// <summary>
    /// Refuses training data that overlaps the validation data: a path inside <paramref name="validationRoot"/>,
    /// or a video or folder named like one of <paramref name="validationSequences"/> (e.g. bear.mp4 for
    /// DAVIS's bear). One <see cref="BadInputException"/> naming the first such path.
    /// </summary>
    public static void CheckDisjoint(IEnumerable<string> trainingPaths, string validationRoot, IEnumerable<string> validationSequences)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(validationRoot)) + Path.DirectorySeparatorChar;
        var names = validationSequences.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var path in trainingPaths)
        {
            var full = Path.GetFullPath(path);
            if ((full + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal))
                throw new BadInputException(path, $"is part of the validation data ({validationRoot}): never train on the frames you validate on");
            var name = Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(full));
            if (names.Contains(name))
                throw new BadInputException(path, $"has the name of the validation sequence '{name}': never train on the frames you validate on (remove it from the training list)");
        }
    }

    static void Collect(string path, List<string> found, int depth)
    {
        if (File.Exists(path))
        {
            if (FrameSources.IsVideoFile(path)) { found.Add(Path.GetFullPath(path)); return; }
            if (Path.GetExtension(path).Equals(".txt", StringComparison.OrdinalIgnoreCase) && depth == 0)
            {
                var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
                var lines = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
                if (lines.Count == 0) throw new BadInputException(path, "list file names no videos");
                foreach (var line in lines)
                {
                    var item = Path.Combine(dir, line);
                    if (!File.Exists(item) && !Directory.Exists(item)) throw new BadInputException(path, $"lists '{line}', which does not exist");
                    Collect(item, found, depth + 1);
                }
                return;
            }
            throw new BadInputException(path, $"not a video ({string.Join(", ", FrameSources.VideoExtensions)}), image folder or .txt list");
        }
        if (!Directory.Exists(path)) throw new BadInputException(path, "no such file or folder");
        var davis = Path.Combine(path, "JPEGImages", "480p");
        if (Directory.Exists(davis)) { Collect(davis, found, depth + 1); return; }
        if (HasNumberedImages(path)) { found.Add(Path.GetFullPath(path)); return; }
        int before = found.Count;
        foreach (var file in Directory.EnumerateFiles(path).Order(StringComparer.Ordinal).Where(FrameSources.IsVideoFile)) found.Add(Path.GetFullPath(file));
        if (depth < 3)
            foreach (var sub in Directory.EnumerateDirectories(path).Order(StringComparer.Ordinal))
                if (HasNumberedImages(sub) || Directory.Exists(Path.Combine(sub, "JPEGImages"))) Collect(sub, found, depth + 1);
        if (found.Count == before && depth == 0) throw new BadInputException(path, "holds no videos or image sequences");
    }

    static bool HasNumberedImages(string dir) =>
        Directory.EnumerateFiles(dir).Any(f => Path.GetFileNameWithoutExtension(f).All(char.IsDigit)
            && Path.GetExtension(f).ToLowerInvariant() is ".jpg" or ".jpeg" or ".png" or ".bmp");
}
