using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ColorTrack.Notebooks.Rendering;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Notebooks;

/// <summary>
/// A notebook's first cell names the packages; the runner binds that to this program's own ColorTrack, so the
/// same page runs in the clone (the build) and anywhere the packages are (PackageBinding).
/// </summary>
public class PackageBindingTests
{
    static readonly string Here = Path.GetDirectoryName(typeof(PackageBinding).Assembly.Location)!;

    [Fact]
    public void Bind_TheNotebooksPackage_BecomesThisProgramsAssemblies()
    {
        var bound = PackageBinding.Bind($"#r \"nuget: ColorTrack.Notebooks, {PackageBinding.Version}\"\nColorTrack.Notebooks.NotebookSetup.Initialize();", "page.ipynb");
        var refs = Regex.Matches(bound, "^#r \"(.+)\"$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["ColorTrack.dll", "TorchSharp.dll", "Microsoft.Data.Analysis.dll", "ColorTrack.Notebooks.dll", "Plotly.NET.dll", "Plotly.NET.CSharp.dll"],
                     refs.Select(Path.GetFileName));
        Assert.All(refs, r => Assert.True(File.Exists(r) && Path.GetDirectoryName(r) == Here, r));
        Assert.EndsWith("ColorTrack.Notebooks.NotebookSetup.Initialize();", bound);
    }

    [Fact]
    public void Bind_TheLibraryAlone_WithoutAVersion_ReferencesTheLibrary()
    {
        var bound = PackageBinding.Bind("#r \"nuget: ColorTrack\"", "page.ipynb");
        Assert.Equal(["ColorTrack.dll", "TorchSharp.dll", "Microsoft.Data.Analysis.dll"],
                     Regex.Matches(bound, "#r \"(.+)\"").Select(m => Path.GetFileName(m.Groups[1].Value)));
    }

    [Fact]
    public void Bind_LeavesOtherPackagesAndCodeAlone()
    {
        const string source = "#r \"nuget: Plotly.NET, 6.0.0\"\nvar s = \"#r \\\"nuget: ColorTrack\\\"\";";
        Assert.Equal(source, PackageBinding.Bind(source, "page.ipynb"));
    }

    [Fact]
    public void Bind_AnotherVersion_IsAOneLineErrorNamingTheNotebook()
    {
        var e = Assert.Throws<BadInputException>(() => PackageBinding.Bind("#r \"nuget: ColorTrack.Notebooks, 0.0.1\"", "old.ipynb"));
        Assert.Contains("old.ipynb", e.Message);
        Assert.Contains($"asks for ColorTrack.Notebooks 0.0.1, but this colortrack is {PackageBinding.Version}", e.Message);
    }

    [Fact]
    public void Version_IsTheOneSetInDirectoryBuildProps()
    {
        var props = File.ReadAllText(Path.Combine(RepoRoot.Path, "Directory.Build.props"));
        Assert.Equal(Regex.Match(props, "<Version>(.+?)</Version>").Groups[1].Value, PackageBinding.Version);
    }

    [Fact]
    public void Notebooks_FirstCodeCellReferencesThePackagesAtTheRepositoryVersion()
    {
        foreach (var f in Directory.GetFiles(Path.Combine(RepoRoot.Path, "notebooks"), "*.ipynb"))
        {
            var first = JsonNode.Parse(File.ReadAllText(f))!["cells"]!.AsArray().First(c => (string?)c!["cell_type"] == "code")!;
            var source = first["source"] is JsonArray a ? string.Concat(a.Select(x => (string?)x)) : (string?)first["source"];
            Assert.StartsWith($"#r \"nuget: ColorTrack.Notebooks, {PackageBinding.Version}\"\n", source);
            Assert.DoesNotContain("../lib/", source); // no path into the clone: the page runs wherever the packages are
        }
    }

    [Fact]
    public void Runner_TakesEachCellsKernelFromItsMetadata_ElseTheNotebooks()
    {
        var fsharp = JsonNode.Parse("""{"metadata":{"kernelspec":{"language":"F#","name":".net-fsharp"}},"cells":[]}""")!;
        var polyglot = JsonNode.Parse("""{"metadata":{"polyglot_notebook":{"kernelInfo":{"defaultKernelName":"fsharp"}}},"cells":[]}""")!;
        Assert.Equal("fsharp", NotebookRunner.DefaultKernelName(fsharp));
        Assert.Equal("fsharp", NotebookRunner.DefaultKernelName(polyglot));
        Assert.Equal("csharp", NotebookRunner.DefaultKernelName(JsonNode.Parse("""{"metadata":{}}""")!));
        Assert.Equal("csharp", NotebookRunner.KernelName(JsonNode.Parse("""{"metadata":{"polyglot_notebook":{"kernelName":"csharp"}}}""")!, "fsharp"));
        Assert.Equal("fsharp", NotebookRunner.KernelName(JsonNode.Parse("""{"metadata":{"dotnet_interactive":{"language":"fsharp"}}}""")!, "csharp"));
        Assert.Equal("fsharp", NotebookRunner.KernelName(JsonNode.Parse("""{"metadata":{}}""")!, "fsharp"));
    }
}
