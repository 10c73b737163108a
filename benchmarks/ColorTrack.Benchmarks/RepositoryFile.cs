namespace ColorTrack.Benchmarks;

/// <summary>Files of the repository's build output, found from wherever the benchmark runs.</summary>
public static class RepositoryFile
{
    /// <summary>A path relative to this executable's folder or any folder above it, or null.</summary>
    public static string? FindUp(string relative)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            var p = Path.Combine(d.FullName, relative);
            if (File.Exists(p) || Directory.Exists(p)) return p;
        }
        return null;
    }
}
