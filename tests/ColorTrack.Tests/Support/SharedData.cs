namespace ColorTrack.Tests.Support;

/// <summary>
/// Where the real data and reference fixtures live: $WORKBENCH_SHARED, else ../shared beside the
/// repository root. A user's clone usually has none: tests that need it are then skipped with a
/// message saying so. CI sets WORKBENCH_REQUIRE_SHARED=1, which turns that skip into a failure.
/// </summary>
public static class SharedData
{
    public static string? Root { get; } = Locate();

    public static bool Available => Root != null;

    public static bool Required => Environment.GetEnvironmentVariable("WORKBENCH_REQUIRE_SHARED") == "1";

    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([Root ?? throw new InvalidOperationException(MissingMessage), .. parts]);

    public static string MissingMessage =>
        $"real-data tests not run: no shared folder at {Describe()} (set WORKBENCH_SHARED to the folder with data/ and fixtures/)";

    static string Describe() => Environment.GetEnvironmentVariable("WORKBENCH_SHARED") ?? System.IO.Path.Combine(RepoRoot.Path, "..", "shared");

    static string? Locate()
    {
        var dir = Environment.GetEnvironmentVariable("WORKBENCH_SHARED");
        if (string.IsNullOrEmpty(dir)) dir = System.IO.Path.Combine(RepoRoot.Path, "..", "shared");
        dir = System.IO.Path.GetFullPath(dir);
        return Directory.Exists(System.IO.Path.Combine(dir, "fixtures")) ? dir : null;
    }
}

/// <summary>A fact that needs ../shared: skipped (with the reason) when absent, failed when CI requires it.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (!SharedData.Available && !SharedData.Required) Skip = SharedData.MissingMessage;
    }
}

/// <summary>A theory that needs ../shared; see <see cref="SharedDataFactAttribute"/>.</summary>
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute()
    {
        if (!SharedData.Available && !SharedData.Required) Skip = SharedData.MissingMessage;
    }
}
