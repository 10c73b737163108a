namespace ColorTrack.Propagation;

/// <summary>
/// A results folder that is either complete or absent: everything is written into a hidden temporary
/// sibling, which <see cref="Commit"/> renames to the final name (replacing an older result);
/// disposing without committing deletes the temporary folder, so a failed or interrupted run never
/// leaves a folder that passes for complete.
/// </summary>
public sealed class OutputFolder : IDisposable
{
    public string FinalPath { get; }

    /// <summary>Where to write until <see cref="Commit"/>.</summary>
    public string Path { get; }

    bool _committed;

    public OutputFolder(string finalPath)
    {
        FinalPath = System.IO.Path.GetFullPath(finalPath);
        var parent = System.IO.Path.GetDirectoryName(FinalPath)!;
        Directory.CreateDirectory(parent);
        Path = System.IO.Path.Combine(parent, $".{System.IO.Path.GetFileName(FinalPath)}.{Guid.NewGuid():N}.partial");
        Directory.CreateDirectory(Path);
    }

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Commit()
    {
        if (Directory.Exists(FinalPath)) Directory.Delete(FinalPath, recursive: true);
        Directory.Move(Path, FinalPath);
        _committed = true;
    }

    public void Dispose()
    {
        if (!_committed) try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
