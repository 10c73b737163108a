namespace ColorTrack.Datasets.Manifests;

/// <summary>The outcome of checking a local copy against its manifest.</summary>
public sealed class ValidationReport(string root, DatasetManifest manifest)
{
    public string Root { get; } = root;
    public DatasetManifest Manifest { get; } = manifest;
    /// <summary>Each error is one line, "path: problem".</summary>
    public List<string> Errors { get; } = [];
    public List<string> Warnings { get; } = [];
    /// <summary>What was found, as (what, expected, found) rows.</summary>
    public List<(string What, string Expected, string Found)> Counts { get; } = [];
    /// <summary>Sequences (or clips) that are present and complete, usable by loaders.</summary>
    public List<string> Usable { get; } = [];

    public bool Ok => Errors.Count == 0;

    internal void Error(string path, string problem) => Errors.Add($"{path}: {problem}");
    internal void Warn(string path, string problem) => Warnings.Add($"{path}: {problem}");

    /// <summary>Throw the first error as a <see cref="BadInputException"/> (for commands that need a valid copy).</summary>
    public void ThrowIfInvalid()
    {
        if (Ok) return;
        var first = Errors[0];
        int colon = first.IndexOf(": ", StringComparison.Ordinal);
        var more = Errors.Count > 1 ? $" (and {Errors.Count - 1} more problems; run 'colortrack check-data' for all)" : "";
        throw colon > 0
            ? new BadInputException(first[..colon], first[(colon + 2)..] + more)
            : new BadInputException(Root, first + more);
    }
}
