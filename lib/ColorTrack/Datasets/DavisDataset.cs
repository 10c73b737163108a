using System.Globalization;

namespace ColorTrack.Datasets;

/// <summary>
/// Finds the ground-truth sequences of a DAVIS-style root. Two layouts:
/// <list type="bullet">
/// <item>the official one: <c>Annotations/480p/&lt;seq&gt;/00000.png</c> plus an image-set list, either
///   <c>ImageSets/&lt;year&gt;/&lt;set&gt;.txt</c> (DAVIS 2017: one sequence name per line) or
///   <c>ImageSets/480p/&lt;set&gt;.txt</c> (DAVIS 2016: "/JPEGImages/480p/seq/00000.jpg /Annotations/480p/seq/00000.png" lines);</item>
/// <item>a plain folder whose subfolders are sequences of PNG masks.</item>
/// </list>
/// Frame files must be numbered without gaps (a gap usually means a lost file and would silently
/// shift the "last frame" the protocol drops).
/// </summary>
public static class DavisDataset
{
    /// <summary>
    /// The sequences of <paramref name="root"/>: those named, else those of the image set. Image-set
    /// sequences absent from the annotations (a partial copy of DAVIS, like the shared train subset)
    /// are skipped and reported through <paramref name="warn"/>; sequences named explicitly must exist.
    /// </summary>
    public static IReadOnlyList<DavisSequence> Open(string root, string set = "val", string year = "2017",
        IReadOnlyCollection<string>? sequences = null, string resolution = "480p", Action<string>? warn = null)
    {
        if (!Directory.Exists(root)) throw new BadInputException(root, "DAVIS root folder not found");
        var annotations = Path.Combine(root, "Annotations", resolution);
        bool official = Directory.Exists(annotations);
        var folder = official ? annotations : root;
        List<string> names;
        if (sequences is { Count: > 0 }) names = sequences.Distinct().ToList();
        else if (official)
        {
            var listed = ReadImageSet(root, set, year, resolution);
            names = listed.Where(n => Directory.Exists(Path.Combine(folder, n))).ToList();
            var absent = listed.Except(names).ToList();
            if (names.Count == 0) throw new BadInputException(folder, $"none of the {listed.Count} sequences of the '{set}' image set has annotations here");
            if (absent.Count > 0) warn?.Invoke($"{absent.Count} of {listed.Count} '{set}' sequences have no annotations under {folder} and are skipped: {string.Join(", ", absent)}");
        }
        else names = Directory.GetDirectories(root).Where(d => Directory.EnumerateFiles(d, "*.png").Any())
            .Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0) throw new BadInputException(root, "no sequences found (expected Annotations/480p/<seq>/ or <seq>/ folders of PNG masks)");
        return names.Select(n => OpenSequence(n, Path.Combine(folder, n), official ? FramesFolderOf(root, n, resolution) : null)).ToList();
    }

    /// <summary>Where the official layout keeps a sequence's frames: JPEGImages/&lt;resolution&gt;/&lt;seq&gt;/.</summary>
    public static string FramesFolderOf(string root, string sequence, string resolution = "480p") =>
        Path.Combine(root, "JPEGImages", resolution, sequence);

    /// <summary>The sequence names of an image-set list (2017: names; 2016: path pairs).</summary>
    public static List<string> ReadImageSet(string root, string set, string year, string resolution = "480p")
    {
        string[] candidates = [Path.Combine(root, "ImageSets", year, set + ".txt"), Path.Combine(root, "ImageSets", resolution, set + ".txt")];
        var list = candidates.FirstOrDefault(File.Exists)
            ?? throw new BadInputException(candidates[0], $"image-set list not found (also looked for {candidates[1]})");
        var names = new List<string>();
        foreach (var raw in File.ReadLines(list))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            // 2016 lines name files: take the folder above the first path's file name.
            var name = line.Contains('/') ? Path.GetFileName(Path.GetDirectoryName(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]))! : line;
            if (!names.Contains(name)) names.Add(name);
        }
        return names;
    }

    public static DavisSequence OpenSequence(string name, string folder, string? framesFolder = null)
    {
        if (!Directory.Exists(folder)) throw new BadInputException(folder, $"annotation folder of sequence '{name}' not found");
        var frames = Directory.GetFiles(folder, "*.png").Select(f => Path.GetFileNameWithoutExtension(f)!).ToList();
        if (frames.Count == 0) throw new BadInputException(folder, "no PNG masks in this sequence folder");
        bool numeric = frames.All(IsNumber);
        frames = numeric ? frames.OrderBy(Number).ThenBy(f => f, StringComparer.Ordinal).ToList() : frames.Order(StringComparer.Ordinal).ToList();
        if (numeric) CheckNumbering(folder, frames);
        return new DavisSequence(name, folder, frames, framesFolder);
    }

    static bool IsNumber(string f) => f.Length is > 0 and < 18 && f.All(char.IsAsciiDigit);

    static long Number(string f) => long.Parse(f, CultureInfo.InvariantCulture);

    /// <summary>Numerically sorted frame names must be consecutive numbers.</summary>
    public static void CheckNumbering(string folder, IReadOnlyList<string> frames)
    {
        for (int i = 1; i < frames.Count; i++)
        {
            long previous = Number(frames[i - 1]), current = Number(frames[i]);
            if (current == previous)
                throw new BadInputException(Path.Combine(folder, frames[i] + ".png"), $"two files for frame {current} ({frames[i - 1]}.png, {frames[i]}.png)");
            if (current != previous + 1)
            {
                var missing = (previous + 1).ToString(CultureInfo.InvariantCulture).PadLeft(frames[i - 1].Length, '0');
                throw new BadInputException(Path.Combine(folder, missing + ".png"),
                    $"missing frame: numbering jumps from {frames[i - 1]}.png to {frames[i]}.png");
            }
        }
    }
}
