namespace ColorTrack.Model;

/// <summary>
/// The model that ships with the repository (models/manifest.json and the checkpoint it names), used
/// by `--checkpoint default` or when no encoder is given. Found in COLORTRACK_MODELS when set, else
/// in the first models/ folder above the running binaries (the repository's, for a build in place).
/// </summary>
public static class ShippedModel
{
    public const string DefaultName = "default";
    public const string EnvironmentVariable = "COLORTRACK_MODELS";

    /// <summary>The manifest's path, or null when no shipped model can be found.</summary>
    public static string? FindManifest()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } dir)
            return Path.Combine(dir, ModelManifest.FileName);
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "models", ModelManifest.FileName);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The shipped model's manifest and its verified checkpoint path.</summary>
    public static (ModelManifest Manifest, string Checkpoint) Load()
    {
        var path = FindManifest() ?? throw new BadInputException("models/" + ModelManifest.FileName,
            $"no shipped model found above {AppContext.BaseDirectory} (set {EnvironmentVariable} to its folder, or give a checkpoint file)");
        var manifest = ModelManifest.Load(path);
        return (manifest, manifest.Verify(path));
    }

    /// <summary>The shipped model's checkpoint (hash verified), or null when none is installed.</summary>
    public static string? TryLoadCheckpoint() =>
        FindManifest() is { } path && File.Exists(path) ? ModelManifest.Load(path).Verify(path) : null;

    /// <summary>
    /// A --checkpoint argument resolved: "default" is the shipped model (hash verified), anything
    /// else a path; with the manifest when it is the shipped model.
    /// </summary>
    public static (string Path, ModelManifest? Manifest) Resolve(string argument)
    {
        if (!string.Equals(argument, DefaultName, StringComparison.OrdinalIgnoreCase)) return (argument, null);
        var (manifest, checkpoint) = Load();
        return (checkpoint, manifest);
    }
}
