namespace ColorTrack.Benchmarks;

/// <summary>The shared data folder: $WORKBENCH_SHARED, else ../shared beside the repository.</summary>
public static class SharedFolder
{
    public static string Path(params string[] parts)
    {
        var root = Environment.GetEnvironmentVariable("WORKBENCH_SHARED");
        if (string.IsNullOrEmpty(root)) root = System.IO.Path.Combine(Directory.GetCurrentDirectory(), "..", "shared");
        var full = System.IO.Path.Combine([root, .. parts]);
        if (!File.Exists(full) && !Directory.Exists(full)) throw new BadInputException(full, "not found (set WORKBENCH_SHARED to the shared folder)");
        return full;
    }
}
