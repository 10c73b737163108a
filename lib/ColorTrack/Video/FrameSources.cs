namespace ColorTrack.Video;

/// <summary>Opens a video given as a folder of numbered images or as a video file.</summary>
public static class FrameSources
{
    /// <summary>Video file extensions read through OpenCV (FFmpeg).</summary>
    public static readonly string[] VideoExtensions = { ".mp4", ".avi", ".webm", ".mkv", ".mov", ".m4v" };

    /// <summary>
    /// A folder of images (00000.jpg, 00001.jpg, ... as in DAVIS and JHMDB) or a video file
    /// (mp4, avi, webm, ...). Throws <see cref="BadInputException"/> naming the path when it is missing,
    /// empty, undecodable or a folder with a gap in its frame numbers.
    /// </summary>
    public static IFrameSource Open(string pathOrFolder, FrameSourceOptions? options = null)
    {
        options ??= FrameSourceOptions.Native;
        if (Directory.Exists(pathOrFolder)) return new ImageFolderSource(pathOrFolder, options);
        if (!File.Exists(pathOrFolder)) throw new BadInputException(pathOrFolder, "no such file or folder");
        return new VideoFileSource(pathOrFolder, options);
    }

    /// <summary>Is this a path <see cref="Open"/> takes as a video file (by extension)?</summary>
    public static bool IsVideoFile(string path) =>
        VideoExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);
}
