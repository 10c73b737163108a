namespace ColorTrack.Runtime;

/// <summary>
/// Writes files so that a reader never sees a half-written one: write to a temporary file in the
/// same folder, flush it to disk, then rename over the target (atomic on POSIX file systems).
/// A process killed at any moment leaves either the old file or the new one, plus at most a stray
/// temporary file that <see cref="IsTemporary"/> recognises.
/// </summary>
public static class AtomicFile
{
    public const string TempSuffix = ".partial";

    /// <summary>
    /// Write <paramref name="path"/> atomically. A place that cannot be written (no permission, a
    /// file where a folder should be, a read-only or virtual file system) is a <see cref="BadInputException"/>
    /// naming <paramref name="path"/> itself, never the temporary file.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            Directory.CreateDirectory(dir);
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not FileNotFoundException)
        {
            try { File.Delete(tmp); } catch { }
            throw new BadInputException(path, WhyNotWritable(full, tmp, e), e);
        }
        catch
        {
            try { File.Delete(tmp); } catch { }
            throw;
        }
    }

    /// <summary>
    /// Refuse an output that cannot be written before any work starts, creating nothing: the nearest
    /// existing folder above <paramref name="path"/> must be a folder that takes a new file (a probe
    /// file is created there and removed at once).
    /// </summary>
    public static void CheckWritable(string path)
    {
        var full = Path.GetFullPath(path);
        if (FileAbove(full) is { } file) throw new BadInputException(path, $"cannot be written: {file} is a file, not a folder");
        var dir = Path.GetDirectoryName(full);
        while (dir is not null && !Directory.Exists(dir)) dir = Path.GetDirectoryName(dir);
        if (dir is null) throw new BadInputException(path, "cannot be written: no folder above it exists");
        var probe = Path.Combine(dir, $".colortrack-probe.{Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}");
        try { using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { } }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException(path, e switch
            {
                UnauthorizedAccessException => $"cannot be written: {dir} does not take new files (permission denied, or a read-only file system)",
                FileNotFoundException or DirectoryNotFoundException => $"cannot be written: {dir} does not take new files (a virtual or read-only file system)",
                _ => $"cannot be written: {dir} does not take new files ({ErrorText.FirstLine(e.Message).Replace(probe, dir)})",
            }, e);
        }
    }

    /// <summary>Why <paramref name="full"/> could not be written, in words that name it, not the temporary file.</summary>
    static string WhyNotWritable(string full, string tmp, Exception e)
    {
        if (FileAbove(full) is { } file) return $"cannot be written: {file} is a file, not a folder";
        if (Directory.Exists(full)) return "cannot be written: it is a folder";
        return e is UnauthorizedAccessException
            ? "cannot be written: permission denied (or a read-only file system)"
            : "cannot be written: " + ErrorText.FirstLine(e.Message).Replace(tmp, full).Trim();
    }

    /// <summary>The nearest folder above <paramref name="full"/> that is in fact a file (nothing can be written below it), or null.</summary>
    static string? FileAbove(string full)
    {
        for (var d = Path.GetDirectoryName(full); !string.IsNullOrEmpty(d); d = Path.GetDirectoryName(d))
            if (File.Exists(d)) return d;
        return null;
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    public static bool IsTemporary(string path) => Path.GetFileName(path).EndsWith(TempSuffix, StringComparison.Ordinal);
}
