using System.Text.RegularExpressions;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Architecture;

/// <summary>
/// docs/architecture.md is kept true: its layer table is what these tests check. A library folder
/// names no folder of a higher layer (through a using, or a qualified name such as Model.Pointer),
/// the folders' imports have no cycle, and the library references no presentation package.
/// </summary>
public partial class LayeringTests
{
    static readonly string Library = Path.Combine(RepoRoot.Path, "lib", "ColorTrack");

    /// <summary>Folder -> layer, read from the table in docs/architecture.md ("| 2 | Imaging, Video, Model | ...").</summary>
    static Dictionary<string, int> Layers()
    {
        var layers = new Dictionary<string, int>();
        foreach (var line in File.ReadLines(Path.Combine(RepoRoot.Path, "docs", "architecture.md")))
            if (LayerRow().Match(line) is { Success: true } m)
                foreach (var folder in m.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries))
                    layers[folder] = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return layers;
    }

    /// <summary>Folder -> the other library folders its files name, with a file that does.</summary>
    static Dictionary<string, Dictionary<string, string>> Imports(IReadOnlyCollection<string> folders)
    {
        var name = new Regex(@"(?:using\s+(?:static\s+)?ColorTrack\.(\w+))|(?<![\w.])(?:ColorTrack\.)?(" + string.Join('|', folders) + @")\.[A-Z]\w*");
        var imports = new Dictionary<string, Dictionary<string, string>>();
        foreach (var folder in folders)
        {
            imports[folder] = [];
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Library, folder), "*.cs", SearchOption.AllDirectories))
            {
                var code = Comment().Replace(File.ReadAllText(file), "");
                foreach (Match m in name.Matches(code))
                {
                    var target = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
                    if (target != folder) imports[folder].TryAdd(target, Path.GetRelativePath(Library, file));
                }
            }
        }
        return imports;
    }

    static List<string> Folders() => Directory.GetDirectories(Library).Select(Path.GetFileName).OfType<string>()
        .Where(d => d is not ("bin" or "obj")).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void EveryLibraryFolder_HasALayerInTheArchitectureDocument()
    {
        var layers = Layers();
        Assert.True(layers.Count >= 4, "docs/architecture.md has no layer table");
        var unplaced = Folders().Where(f => !layers.ContainsKey(f)).ToList();
        Assert.True(unplaced.Count == 0, "folders without a layer in docs/architecture.md: " + string.Join(", ", unplaced));
        var gone = layers.Keys.Where(f => !Directory.Exists(Path.Combine(Library, f))).ToList();
        Assert.True(gone.Count == 0, "layers name folders that do not exist: " + string.Join(", ", gone));
    }

    [Fact]
    public void NoLibraryFolder_ImportsAFolderOfAHigherLayer()
    {
        var layers = Layers();
        var folders = Folders();
        var upward = Imports(folders).SelectMany(kv => kv.Value
                .Where(t => layers.ContainsKey(t.Key) && layers[t.Key] > layers[kv.Key])
                .Select(t => $"{kv.Key} (layer {layers[kv.Key]}) names {t.Key} (layer {layers[t.Key]}) in {t.Value}"))
            .ToList();
        Assert.True(upward.Count == 0, string.Join("\n", upward));
        // Nor anything above the library: the analysis, the notebooks' formatting, the command line.
        var above = folders.SelectMany(f => Directory.EnumerateFiles(Path.Combine(Library, f), "*.cs", SearchOption.AllDirectories))
            .Where(file => AboveTheLibrary().IsMatch(File.ReadAllText(file))).Select(file => Path.GetRelativePath(Library, file)).ToList();
        Assert.True(above.Count == 0, string.Join("\n", above));
    }

    [Fact]
    public void LibraryFolders_ImportEachOtherWithoutCycles()
    {
        var imports = Imports(Folders());
        var state = new Dictionary<string, int>(); // 1 = on the path, 2 = done
        var path = new Stack<string>();
        void Visit(string f)
        {
            state[f] = 1; path.Push(f);
            foreach (var t in imports[f].Keys.Where(imports.ContainsKey))
            {
                if (state.GetValueOrDefault(t) == 1) Assert.Fail("import cycle: " + string.Join(" -> ", path.Reverse().SkipWhile(p => p != t).Append(t)));
                if (state.GetValueOrDefault(t) == 0) Visit(t);
            }
            path.Pop(); state[f] = 2;
        }
        foreach (var f in imports.Keys) if (state.GetValueOrDefault(f) == 0) Visit(f);
    }

    [Fact]
    public void TheLibrary_ReferencesNoPresentationPackage()
    {
        var referenced = typeof(ColorTrack.Propagation.TrackerSpec).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
        Assert.DoesNotContain(referenced, n => n.StartsWith("Plotly", StringComparison.Ordinal) || n.StartsWith("Spectre", StringComparison.Ordinal)
                                              || n.StartsWith("Microsoft.DotNet.Interactive", StringComparison.Ordinal));
        var project = File.ReadAllText(Path.Combine(Library, "ColorTrack.csproj"));
        foreach (var package in new[] { "Plotly.NET", "Spectre.Console", "Microsoft.DotNet.Interactive" })
            Assert.DoesNotContain($"Include=\"{package}", project);
    }

    [GeneratedRegex(@"^\|\s*(\d+)\s*\|\s*([A-Z][A-Za-z]*(?:,\s*[A-Z][A-Za-z]*)*)\s*\|")]
    private static partial Regex LayerRow();

    [GeneratedRegex(@"//.*")]
    private static partial Regex Comment();

    [GeneratedRegex(@"\bColorTrack\.(Analysis|Notebooks|Cli)\b")]
    private static partial Regex AboveTheLibrary();
}
