using System.Text.Json;
using System.Text.Json.Serialization;

namespace ColorTrack.Datasets.Manifests;

/// <summary>
/// What a local copy of a data set must look like (data-manifests/*.json): its layout as path
/// patterns, its sets with sequence/video and frame counts. One schema for DAVIS, JHMDB and Kinetics;
/// <see cref="Kind"/> says which checks apply.
/// </summary>
public sealed record DatasetManifest
{
    public required string Name { get; init; }
    /// <summary>davis, jhmdb or kinetics.</summary>
    public required string Kind { get; init; }
    public string Description { get; init; } = "";
    public string Source { get; init; } = "";
    public ManifestLayout Layout { get; init; } = new();
    public Dictionary<string, ManifestSet> Sets { get; init; } = [];
    public int? ResolutionHeight { get; init; }
    public int[]? Resolution { get; init; }
    public string[]? Classes { get; init; }
    public int? ClipCount { get; init; }
    public int? FrameCount { get; init; }
    public int? JointCount { get; init; }
    public int? ClassCount { get; init; }
    /// <summary>Kinetics: the largest fraction of listed videos that may be missing before it is an error.</summary>
    public double MaxMissingFraction { get; init; } = 0.15;
    /// <summary>Kinetics: how many present videos to open and decode one frame of.</summary>
    public int DecodeSample { get; init; } = 16;

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static DatasetManifest Load(string path)
    {
        if (!File.Exists(path)) throw new BadInputException(path, "manifest not found");
        try
        {
            var m = JsonSerializer.Deserialize<DatasetManifest>(File.ReadAllText(path), Json)
                    ?? throw new BadInputException(path, "empty manifest");
            if (m.Kind is not ("davis" or "jhmdb" or "kinetics"))
                throw new BadInputException(path, $"unknown manifest kind '{m.Kind}' (davis, jhmdb or kinetics)");
            return m;
        }
        catch (JsonException e) { throw new BadInputException(path, "not a data-set manifest: " + Runtime.ErrorText.FirstLine(e.Message)); }
    }
}

/// <summary>Path patterns, relative to the data-set root; {sequence}, {index:D5}, {class}, {clip}, {split}.</summary>
public sealed record ManifestLayout
{
    public string? Frames { get; init; }
    public string? Annotations { get; init; }
    public bool AnnotationsEveryFrame { get; init; } = true;
    public int FirstIndex { get; init; }
    public string[] Metadata { get; init; } = [];
    public Dictionary<string, string> ImageSets { get; init; } = [];
    /// <summary>"pairs" (DAVIS-2016: "/JPEGImages/... /Annotations/..." per frame) or "names" (one sequence per line).</summary>
    public string ImageSetFormat { get; init; } = "names";
    public string? Joints { get; init; }
    public string? Splits { get; init; }
    public Dictionary<string, string> Lists { get; init; } = [];
    public string? ListHeader { get; init; }
    public string? Videos { get; init; }
}

/// <summary>One set (train, val, ...): counts, and per-sequence frame counts where known (null = unknown).</summary>
public sealed record ManifestSet
{
    public int? SequenceCount { get; init; }
    public int? FrameCount { get; init; }
    public int? VideoCount { get; init; }
    public Dictionary<string, int?>? Sequences { get; init; }
}
