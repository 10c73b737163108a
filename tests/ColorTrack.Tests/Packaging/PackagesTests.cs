using System.Diagnostics;
using System.Text.Json.Nodes;
using ColorTrack.Notebooks.Rendering;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Packaging;

/// <summary>
/// The packages work where the clone is not: `dotnet pack` writes ColorTrack, ColorTrack.Notebooks and the
/// ColorTrack.Cli tool to artifacts/packages; from an empty folder the tool installs from that feed and tracks a
/// clip; a fresh notebook kernel (dotnet-repl, its own process) loads ColorTrack with #r "nuget:" from the feed,
/// and runs the F# page 08 copied out of the repository; an app that references the package builds and runs;
/// `dotnet fsi` runs the F# example script.
/// One test, because packing is the expensive part (about a minute) and every check needs it.
/// </summary>
public class PackagesTests
{
    static readonly string Feed = Path.Combine(RepoRoot.Path, "artifacts", "packages");

    [Fact]
    public void Packages_InstallTheToolAndLoadInAFreshKernelAndInFsi_FromALocalFeed()
    {
        var version = PackageBinding.Version;
        // Our own packages at this version must come from the feed just packed, never from an older copy in the cache.
        var cache = ColorTrack.Runtime.PackageNatives.NuGetPackagesRoot();
        foreach (var id in new[] { "colortrack", "colortrack.notebooks", "colortrack.cli", "colortrack.cli.linux-x64" })
            if (Directory.Exists(Path.Combine(cache, id, version))) Directory.Delete(Path.Combine(cache, id, version), recursive: true);
        var pack = Run("dotnet", ["pack", "Workbench.sln", "-c", "Release", "-nologo", "-v", "q"], RepoRoot.Path, 900);
        Assert.True(pack.Code == 0, pack.Output);
        foreach (var p in new[] { $"ColorTrack.{version}.nupkg", $"ColorTrack.Notebooks.{version}.nupkg", $"ColorTrack.Cli.{version}.nupkg", $"ColorTrack.Cli.linux-x64.{version}.nupkg" })
            Assert.True(File.Exists(Path.Combine(Feed, p)), $"{p} not in {Feed}");

        using var dir = new TempDir();

        // 1. The tool, installed from an empty folder outside the clone, checks itself and tracks a clip.
        var empty = Directory.CreateDirectory(dir["empty"]).FullName;
        var install = Run("dotnet", ["tool", "install", "--tool-path", dir["tools"], "--add-source", Feed, "ColorTrack.Cli", "--version", version], empty, 300);
        Assert.True(install.Code == 0, install.Output);
        var colortrack = Path.Combine(dir["tools"], "colortrack");
        var doctor = Run(colortrack, ["doctor"], empty, 120);
        Assert.True(doctor.Code == 0, doctor.Output);
        Assert.Contains("SHA-256 ok", doctor.Output);
        Assert.Contains(Path.Combine(dir["tools"], ".store"), doctor.Output); // libtorch and the model from the tool, not the clone
        var synth = Run(colortrack, ["synth", "--out", dir["clip"], "--videos", "1", "--frames", "6", "--size", "160x120", "--seed", "3"], empty, 120);
        Assert.True(synth.Code == 0, synth.Output);
        var frames = Path.Combine(dir["clip"], "JPEGImages", "480p", "synth-000");
        var track = Run(colortrack, ["track", "--frames", frames, "--mask", Path.Combine(dir["clip"], "Annotations", "480p", "synth-000", "00000.png"),
                                     "--out", dir["out"], "--threads", "1"], empty, 300);
        Assert.True(track.Code == 0, track.Output);
        Assert.Equal(6, Directory.GetFiles(Path.Combine(dir["out"], "synth-000"), "*.png").Length);

        // 2. A fresh kernel in its own process loads the library with #r "nuget: ColorTrack, <version>" from the feed.
        var nb = Directory.CreateDirectory(dir["notebook"]).FullName;
        File.WriteAllText(Path.Combine(nb, "load.ipynb"), Notebook("csharp",
            $"#i \"nuget: {Feed}\"\n#r \"nuget: ColorTrack, {version}\"",
            "ColorTrack.Runtime.TorchRuntime.EnsureLoaded();\n" +
            "var (manifest, checkpoint) = ColorTrack.Model.ShippedModel.Load();\n" +
            "Console.WriteLine($\"loaded {typeof(ColorTrack.Model.ShippedModel).Assembly.Location} | {checkpoint} | {manifest.Preset} | {ColorTrack.Runtime.TorchRuntime.LibTorchVersion}\");"));
        var load = Repl(Path.Combine(nb, "load.ipynb"), nb);
        var loaded = Assert.Single(Outputs(load), o => o.StartsWith("loaded ", StringComparison.Ordinal));
        Assert.Contains(Path.Combine("colortrack", version, "lib"), loaded); // the package's assembly, from the cache
        Assert.Contains(Path.Combine("colortrack", version, "models"), loaded); // and the package's model
        Assert.EndsWith("2.10.0", loaded.Trim());

        // 3. The F# page 08, copied out of the repository, runs there with the packages: a collaborator adds the feed.
        var page = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "notebooks", "08-track-your-own-clip.ipynb")))!;
        var first = page["cells"]!.AsArray().First(c => (string?)c!["cell_type"] == "code")!;
        first["source"] = $"#i \"nuget: {Feed}\"\n" + (string?)first["source"];
        File.WriteAllText(Path.Combine(nb, "08.ipynb"), page.ToJsonString());
        var ran = Repl(Path.Combine(nb, "08.ipynb"), nb);
        Assert.Empty(NotebookRunner.ErrorsIn(File.ReadAllText(ran)));
        var headline = Assert.Single(ColorTrack.Notebooks.Formatting.Headline.ReadAll(File.ReadAllText(ran)), h => h.Name == "jf-own-clip");
        Assert.True(headline.Value > 0.6, $"J&F {headline.Value:F3} on the generated clip");

        // 4. An app that references the package builds with TorchSharp's natives patched (the package's buildTransitive
        //    targets) and the shipped models in its output, and runs from there.
        var app = Directory.CreateDirectory(dir["app"]).FullName;
        File.WriteAllText(Path.Combine(app, "App.csproj"), $$"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings>
                <RestoreAdditionalProjectSources>{{Feed}}</RestoreAdditionalProjectSources>
              </PropertyGroup>
              <ItemGroup><PackageReference Include="ColorTrack" Version="{{version}}" /></ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            ColorTrack.Runtime.TorchRuntime.EnsureLoaded();
            var (_, checkpoint) = ColorTrack.Model.ShippedModel.Load("paper");
            Console.WriteLine($"natives {ColorTrack.Runtime.TorchRuntime.NativeDirectory} | model {checkpoint}");
            """);
        var build = Run("dotnet", ["build", "-c", "Release", "-nologo"], app, 600);
        Assert.True(build.Code == 0, build.Output);
        var appRun = Run("dotnet", [Path.Combine(app, "bin", "Release", "net10.0", "App.dll")], app, 120);
        Assert.True(appRun.Code == 0, appRun.Output);
        Assert.Contains($"natives {Path.Combine(app, "bin", "Release", "net10.0", "runtimes", "linux-x64", "native")}", appRun.Output);
        Assert.Contains($"model {Path.Combine(app, "bin", "Release", "net10.0", "models", "paper", "colortrack.ctckpt")}", appRun.Output);

        // 5. The F# script, with dotnet fsi, restores ColorTrack from the clone's feed (examples/NuGet.config).
        var fsi = Run("dotnet", ["fsi", "--quiet", Path.Combine(RepoRoot.Path, "examples", "track-a-clip.fsx")], empty, 600);
        Assert.True(fsi.Code == 0, fsi.Output);
        Assert.Contains($"ColorTrack {version}", fsi.Output);
        Assert.Matches(@"tracked 40 frames of generated\.mp4", fsi.Output);
        Assert.Matches(@"J&F 0\.[6-9]\d\d on frame 39", fsi.Output);
    }

    /// <summary>Runs the pinned dotnet-repl on a notebook (cwd: the repository, for its tool manifest; the kernel works in <paramref name="workDir"/>).</summary>
    static string Repl(string notebook, string workDir)
    {
        var output = Path.ChangeExtension(notebook, ".out.ipynb");
        var r = Run("dotnet", ["repl", "--run", notebook, "--exit-after-run", "--output-path", output, "--working-dir", workDir], RepoRoot.Path, 600);
        Assert.True(r.Code == 0 && File.Exists(output), r.Output);
        return output;
    }

    static IEnumerable<string> Outputs(string ipynb) =>
        JsonNode.Parse(File.ReadAllText(ipynb))!["cells"]!.AsArray()
            .SelectMany(c => c!["outputs"]?.AsArray() ?? [])
            .Select(o => o!["text"] is JsonArray a ? string.Concat(a.Select(x => (string?)x)) : (string?)o!["text"] ?? "")
            .SelectMany(t => t.Split('\n'));

    static string Notebook(string language, params string[] cells) => new JsonObject
    {
        ["cells"] = new JsonArray(cells.Select((s, i) => (JsonNode)new JsonObject
        {
            ["cell_type"] = "code", ["id"] = $"cell-{i}", ["execution_count"] = null, ["outputs"] = new JsonArray(), ["source"] = s,
            ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = language } },
        }).ToArray()),
        ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelInfo"] = new JsonObject { ["defaultKernelName"] = language } } },
        ["nbformat"] = 4, ["nbformat_minor"] = 5,
    }.ToJsonString();

    sealed record ProcessResult(int Code, string Output);

    static ProcessResult Run(string file, string[] args, string cwd, int timeoutSeconds)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = cwd };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000)) { p.Kill(true); throw new TimeoutException($"{file} {string.Join(' ', args)}"); }
        return new ProcessResult(p.ExitCode, $"$ {file} {string.Join(' ', args)}\n{stdout.Result}\n{stderr.Result}");
    }
}
