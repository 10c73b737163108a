using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ColorTrack.Datasets;

/// <summary>
/// One sequence's entry of DAVIS's <c>db_info.yml</c>: its attributes (AC = appearance change,
/// BC = background clutter, DB = dynamic background, FM = fast motion, MB = motion blur,
/// OCC = occlusion, SV = scale variation, ...), frame count and set.
/// </summary>
public sealed record DavisSequenceInfo(string Name, IReadOnlyList<string> Attributes, int NumFrames, string Set)
{
    /// <summary>Read all sequences of a db_info.yml (attribute order as the file lists them first).</summary>
    public static (IReadOnlyList<string> Attributes, IReadOnlyList<DavisSequenceInfo> Sequences) Load(string path)
    {
        if (!File.Exists(path)) throw new BadInputException(path, "db_info.yml not found");
        try
        {
            var doc = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance)
                .IgnoreUnmatchedProperties().Build().Deserialize<DbInfo>(File.ReadAllText(path))
                ?? throw new BadInputException(path, "empty db_info.yml");
            var sequences = (doc.Sequences ?? []).Select(s => new DavisSequenceInfo(
                s.Name ?? throw new BadInputException(path, "a sequence without a name"),
                s.Attributes ?? [], s.NumFrames, s.Set ?? "")).ToList();
            return (doc.Attributes ?? sequences.SelectMany(s => s.Attributes).Distinct().ToList(), sequences);
        }
        catch (YamlException e) { throw new BadInputException(path, $"not valid YAML: {e.Message}", e); }
    }

    /// <summary>db_info.yml's usual places: ROOT/Annotations/db_info.yml (DAVIS 2016) or ROOT/db_info.yml.</summary>
    public static string? Find(string root) =>
        new[] { Path.Combine(root, "Annotations", "db_info.yml"), Path.Combine(root, "db_info.yml") }.FirstOrDefault(File.Exists);

    sealed class DbInfo
    {
        public List<string>? Attributes { get; set; }
        public List<Entry>? Sequences { get; set; }
    }

    sealed class Entry
    {
        public string? Name { get; set; }
        public List<string>? Attributes { get; set; }
        public int NumFrames { get; set; }
        public string? Set { get; set; }
    }
}
