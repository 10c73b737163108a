namespace ColorTrack.Model;

/// <summary>
/// The models that ship with the repository, each a manifest and the checkpoint it names:
/// <c>default</c> (models/manifest.json), the best recipe, used by `--checkpoint default` or when no
/// encoder is given; <c>paper</c> (models/paper/manifest.json), the paper's own objective (gray input,
/// 16 colour bins, cross-entropy). Found in COLORTRACK_MODELS when set, else in the first models/
/// folder above the running binaries (the repository's, for a build in place; the tool's own), else above
/// this library (the ColorTrack package carries both models at its root, for <c>#r "nuget: ColorTrack"</c>).
/// </summary>
public static class ShippedModel
{
    public const string DefaultName = "default";
    public const string PaperName = "paper";
    public const string EnvironmentVariable = "COLORTRACK_MODELS";

    /// <summary>The names a --checkpoint argument may give instead of a file.</summary>
    public static IReadOnlyList<string> Names { get; } = [DefaultName, PaperName];

    /// <summary>Whether a --checkpoint argument names a shipped model rather than a file.</summary>
    public static bool IsName(string argument) => Names.Contains(argument, StringComparer.OrdinalIgnoreCase);

    /// <summary>A shipped model's manifest path, or null when no models folder can be found.</summary>
    public static string? FindManifest(string name = DefaultName)
    {
        var relative = Relative(name);
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } dir)
            return Path.Combine(dir, relative);
        var library = Path.GetDirectoryName(typeof(ShippedModel).Assembly.Location);
        foreach (var start in new[] { AppContext.BaseDirectory, library })
            for (var d = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); d != null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "models", relative);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>A shipped model's manifest and its verified checkpoint path.</summary>
    public static (ModelManifest Manifest, string Checkpoint) Load(string name = DefaultName)
    {
        // With COLORTRACK_MODELS set the path is given, and ModelManifest.Load names it when it is missing.
        var path = FindManifest(name) ?? throw new BadInputException("models/" + Relative(name),
            $"no shipped model '{name}' found above {AppContext.BaseDirectory} (set {EnvironmentVariable} to its folder, or give a checkpoint file)");
        var manifest = ModelManifest.Load(path);
        return (manifest, manifest.Verify(path));
    }

    /// <summary>The default shipped model's checkpoint (hash verified), or null when none is installed.</summary>
    public static string? TryLoadCheckpoint() =>
        FindManifest() is { } path && File.Exists(path) ? ModelManifest.Load(path).Verify(path) : null;

    /// <summary>
    /// A --checkpoint argument resolved: a shipped model's name (<see cref="Names"/>) is that model
    /// (hash verified), anything else a path; with the manifest when it is a shipped model.
    /// </summary>
    public static (string Path, ModelManifest? Manifest) Resolve(string argument)
    {
        if (!IsName(argument)) return (argument, null);
        var (manifest, checkpoint) = Load(argument.ToLowerInvariant());
        return (checkpoint, manifest);
    }

    /// <summary>The manifest's path inside a models folder: the default model's at its top, each other in its own folder.</summary>
    static string Relative(string name) =>
        string.Equals(name, DefaultName, StringComparison.OrdinalIgnoreCase) ? ModelManifest.FileName : Path.Combine(name, ModelManifest.FileName);
}
