using System.Text.RegularExpressions;
using ColorTrack.Runtime;
using OpenCvSharp;

namespace ColorTrack.Video;

/// <summary>
/// A video stored as numbered images in one folder (DAVIS: 00000.jpg, ...; JHMDB: 00001.png, ...).
/// Numbers must be consecutive and all images the same size; decoding is lazy, one frame at a time.
/// </summary>
public sealed partial class ImageFolderSource : IFrameSource
{
    readonly string[] _files;
    readonly FrameSourceOptions _options;
    readonly int _nativeWidth, _nativeHeight;

    public string Name { get; }
    public string Folder { get; }
    public double FramesPerSecond => _options.TargetFps ?? _options.FolderFps;
    public int Width { get; }
    public int Height { get; }
    public int? FrameCount { get; }

    /// <summary>The image files in frame order.</summary>
    public IReadOnlyList<string> Files => _files;

    [GeneratedRegex(@"^(\d+)\.(jpe?g|png|bmp)$", RegexOptions.IgnoreCase)]
    private static partial Regex FrameName();

    public ImageFolderSource(string folder, FrameSourceOptions? options = null)
    {
        OpenCvRuntime.EnsureLoaded();
        _options = options ?? FrameSourceOptions.Native;
        Folder = Path.GetFullPath(folder);
        Name = Path.GetFileName(Folder.TrimEnd(Path.DirectorySeparatorChar));
        if (!Directory.Exists(Folder)) throw new BadInputException(folder, "no such folder");

        var numbered = Directory.EnumerateFiles(Folder)
            .Select(f => (File: f, Match: FrameName().Match(Path.GetFileName(f))))
            .Where(x => x.Match.Success)
            .Select(x => (x.File, Number: long.Parse(x.Match.Groups[1].Value)))
            .OrderBy(x => x.Number)
            .ToArray();
        if (numbered.Length == 0) throw new BadInputException(folder, "no numbered frame images (00000.jpg, ...) in this folder");
        for (int i = 1; i < numbered.Length; i++)
        {
            var gap = numbered[i].Number - numbered[i - 1].Number;
            if (gap == 0) throw new BadInputException(numbered[i].File, $"two images have frame number {numbered[i].Number}");
            if (gap != 1)
                throw new BadInputException(numbered[i].File,
                    $"gap in frame numbers: {Path.GetFileName(numbered[i - 1].File)} is followed by {Path.GetFileName(numbered[i].File)}");
        }
        _files = numbered.Select(x => x.File).ToArray();

        using var first = Decode(_files[0]);
        (_nativeWidth, _nativeHeight) = (first.Width, first.Height);
        (Width, Height) = _options.OutputSize(_nativeWidth, _nativeHeight);
        var count = FrameResampler.ResampledCount(_files.Length, _options.FolderFps, _options.TargetFps);
        FrameCount = _options.MaxFrames is { } max ? Math.Min(max, count) : count;
    }

    public IEnumerable<VideoFrame> Frames()
    {
        var resampler = new FrameResampler(_options.FolderFps, _options.TargetFps);
        int yielded = 0;
        for (int i = 0; i < _files.Length; i++)
        {
            double time = i / _options.FolderFps;
            var due = resampler.Take(time).ToArray();
            if (due.Length == 0) continue;
            using var bgr = Decode(_files[i]);
            if (bgr.Width != _nativeWidth || bgr.Height != _nativeHeight)
                throw new BadInputException(_files[i],
                    $"image is {bgr.Width}x{bgr.Height} but the sequence's first frame is {_nativeWidth}x{_nativeHeight}");
            foreach (var k in due)
            {
                if (_options.MaxFrames is { } max && yielded >= max) yield break;
                yield return OpenCvFrames.ToFrame(bgr, k, time, Width, Height);
                yielded++;
            }
        }
    }

    static Mat Decode(string file)
    {
        CheckJpegComplete(file);
        var mat = Cv2.ImRead(file, ImreadModes.Color);
        if (mat.Empty())
        {
            mat.Dispose();
            throw new BadInputException(file, File.Exists(file) ? "not a readable image" : "file not found");
        }
        return mat;
    }

    /// <summary>
    /// A JPEG must end with its end-of-image marker (FF D9, trailing padding allowed). libjpeg decodes a
    /// truncated file anyway — the missing rows gray — and prints its own warning, so a cut-off frame
    /// would be tracked as if it were real; it is refused here, naming the file, before decoding.
    /// </summary>
    static void CheckJpegComplete(string file)
    {
        var ext = Path.GetExtension(file);
        if (!ext.Equals(".jpg", StringComparison.OrdinalIgnoreCase) && !ext.Equals(".jpeg", StringComparison.OrdinalIgnoreCase)) return;
        using var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        int tail = (int)Math.Min(fs.Length, 64);
        var end = new byte[tail];
        fs.Seek(-tail, SeekOrigin.End);
        fs.ReadExactly(end);
        int i = tail - 1;
        while (i > 0 && end[i] is 0x00 or 0xFF or 0x0A or 0x0D or 0x20) i--;  // padding some writers leave after EOI
        bool hasEnd = (i >= 1 && end[i - 1] == 0xFF && end[i] == 0xD9) || (i + 1 < tail && end[i] == 0xFF && end[i + 1] == 0xD9);
        if (!hasEnd) throw new BadInputException(file, "truncated or corrupt JPEG (no end-of-image marker)");
    }

    public void Dispose() { }
}
