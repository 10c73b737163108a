namespace ColorTrack.Benchmarks;

/// <summary>The benchmarks' own options: `--name value` pairs, read where they are needed.</summary>
public static class BenchmarkArgs
{
    /// <summary>The value after <paramref name="name"/>, or null when the option is absent.</summary>
    public static string? Optional(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public static string String(string[] args, string name, string fallback) => Optional(args, name) ?? fallback;

    /// <summary>The integer after <paramref name="name"/>, or the fallback when absent or not a number.</summary>
    public static int Int(string[] args, string name, int fallback) =>
        int.TryParse(Optional(args, name), out var v) ? v : fallback;
}
