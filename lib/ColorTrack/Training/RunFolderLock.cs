namespace ColorTrack.Training;

/// <summary>
/// One writer per run folder: an exclusive OS lock on <c>RUN/.lock</c>, held for the life of the
/// training process. The operating system releases it when the process ends, however it ends
/// (exit, exception, Ctrl-C, kill -9), so a crashed run never leaves a stale lock to clean up.
/// A second `train` on the same folder fails to take it and refuses before it writes anything.
/// </summary>
public sealed class RunFolderLock : IDisposable
{
    public const string FileName = ".lock";

    readonly FileStream _stream;

    RunFolderLock(FileStream stream) => _stream = stream;

    /// <summary>
    /// Take the lock of <paramref name="runDir"/> (created if missing). Another process holding it is
    /// a <see cref="BadInputException"/> naming the folder.
    /// </summary>
    public static RunFolderLock Acquire(string runDir)
    {
        Runtime.AtomicFile.CheckWritable(Path.Combine(runDir, FileName)); // a file in the way, no permission: said as such
        Directory.CreateDirectory(runDir);
        var path = Path.Combine(runDir, FileName);
        try
        {
            // FileShare.None is an exclusive, non-blocking flock on Unix (LockFileEx on Windows): advisory
            // between processes that ask for it, which every colortrack process does.
            return new RunFolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new BadInputException(runDir, "is in use by another colortrack process (another `train` holds its lock); wait for it to finish or choose another run folder", e);
        }
    }

    public void Dispose() => _stream.Dispose();
}
