using System.Security.Cryptography;
using System.Text.Json;
using ColorTrack.Runtime;

namespace ColorTrack.Model;

/// <summary>
/// The manifest beside a shipped model (models/manifest.json): which file, its SHA-256, how it was
/// trained (preset, colour bins, the exact command, the data, seed, time, final loss) and the
/// tracking options chosen for it on the DAVIS-2016 train sequences. <see cref="Verify"/> refuses a
/// model file whose hash differs, so a corrupt or replaced file never silently gives other numbers.
/// </summary>
/// <param name="File">Checkpoint file name, relative to the manifest's folder.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of that file.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Preset">Model preset name (also recorded inside the checkpoint).</param>
/// <param name="Bins">Colour-bin centroids (a, b), as trained.</param>
/// <param name="Command">The command line that trained it.</param>
/// <param name="Data">The training data: video files and frame folders, as given to --videos.</param>
/// <param name="Seed">Seed of the initialisation and the data stream.</param>
/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="TrainingHours">Wall-clock training time.</param>
/// <param name="Machine">Where it was trained.</param>
/// <param name="FinalLoss">Mean training loss over the last 100 steps.</param>
/// <param name="Tracking">The tracking options chosen for it: "scale" and the label-propagation settings, as the
/// propagation layer serializes them (Propagation.TrackerFactory.ManifestTracking; kept opaque here, below that layer).</param>
/// <param name="Notes">Anything else a user should know.</param>
/// <param name="Objective">What the pointer was trained to copy (bins: the paper; ab, lab: colour regression).</param>
/// <param name="Validation">The validation curve over training: (step, J&amp;F) on <paramref name="ValidatedOn"/>, never trained on.</param>
/// <param name="ValidatedOn">What the validation scored (data set, frames, scale, options).</param>
public sealed record ModelManifest(
    string File,
    string Sha256,
    long Bytes,
    string Preset,
    float[][] Bins,
    string Command,
    string[] Data,
    long Seed,
    long Steps,
    double TrainingHours,
    string Machine,
    double FinalLoss,
    System.Text.Json.Nodes.JsonObject Tracking,
    string? Notes = null,
    string Objective = "bins",
    double[][]? Validation = null,
    string? ValidatedOn = null)
{
    public const string FileName = "manifest.json";

    public static ModelManifest Load(string path)
    {
        if (!System.IO.File.Exists(path)) throw new BadInputException(path, "model manifest not found");
        try
        {
            return JsonSerializer.Deserialize<ModelManifest>(System.IO.File.ReadAllText(path), RunProvenance.Json)
                   ?? throw new JsonException("empty manifest");
        }
        catch (JsonException e)
        {
            throw new BadInputException(path, $"model manifest is not valid ({ErrorText.FirstLine(e.Message)})", e);
        }
    }

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, RunProvenance.Json));

    /// <summary>Where the checkpoint this manifest describes lies: beside the manifest at <paramref name="manifestPath"/> (not checked).</summary>
    public string CheckpointPath(string manifestPath) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(manifestPath))!, File);

    /// <summary>The checkpoint this manifest describes, after checking its size and SHA-256.</summary>
    public string Verify(string manifestPath)
    {
        var model = CheckpointPath(manifestPath);
        if (!System.IO.File.Exists(model)) throw new BadInputException(model, $"shipped model missing (listed in {manifestPath})");
        var actual = Sha256Of(model);
        if (!string.Equals(actual, Sha256, StringComparison.OrdinalIgnoreCase))
            throw new BadInputException(model, $"SHA-256 mismatch: manifest says {Sha256}, file is {actual} (corrupt or replaced; restore it with `git checkout -- models/`)");
        return model;
    }

    public static string Sha256Of(string path)
    {
        using var s = System.IO.File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }
}
