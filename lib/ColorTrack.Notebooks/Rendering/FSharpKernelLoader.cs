using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;

namespace ColorTrack.Notebooks.Rendering;

/// <summary>
/// The F# kernel for the in-process runner, taken from the pinned dotnet-repl tool.
///
/// Why there: .NET Interactive's F# kernel (Microsoft.DotNet.Interactive.FSharp) is not published to NuGet
/// any more, but the local tool dotnet-repl 0.3.259 (.config/dotnet-tools.json, restored by `dotnet tool
/// restore`) carries exactly the build of .NET Interactive this project references (1.0.0-beta.26120.1), with
/// its F# compiler service. We load those assemblies into this process, so F# cells share the process, its
/// FSharp.Core 10.1 (which Plotly.NET needs) and the formatters with the C# kernel.
/// </summary>
public static class FSharpKernelLoader
{
    /// <summary>Environment variable naming a folder that holds Microsoft.DotNet.Interactive.FSharp.dll, instead of the tool's.</summary>
    public const string FolderVariable = "COLORTRACK_FSHARP_KERNEL_DIR";

    static readonly object Gate = new();
    static string? _folder;

    /// <summary>A new F# kernel named "fsharp". Throws one actionable line when the tool is missing.</summary>
    public static Kernel Create(string searchFrom)
    {
        var folder = Folder(searchFrom);
        var asm = Assembly.LoadFrom(Path.Combine(folder, "Microsoft.DotNet.Interactive.FSharp.dll"));
        var type = asm.GetType("Microsoft.DotNet.Interactive.FSharp.FSharpKernel", throwOnError: true)!;
        var kernel = (Kernel)Activator.CreateInstance(type)!;
        // The extensions the tool applies too: formatting of F# values and the kernel helpers. No #r "nuget:" here,
        // as in the C# kernel: the ColorTrack directives are bound to this program's assemblies (PackageBinding).
        Invoke(asm, "Microsoft.DotNet.Interactive.FSharp.FSharpKernelExtensions", "UseDefaultFormatting", kernel);
        Invoke(asm, "Microsoft.DotNet.Interactive.FSharp.FSharpKernelExtensions", "UseKernelHelpers", kernel);
        return kernel;
    }

    static void Invoke(Assembly asm, string typeName, string method, Kernel kernel)
    {
        var m = asm.GetType(typeName)?.GetMethods().FirstOrDefault(x => x.Name == method && x.GetParameters().Length >= 1);
        if (m == null) return;
        var target = m.IsGenericMethodDefinition ? m.MakeGenericMethod(kernel.GetType()) : m;
        target.Invoke(null, target.GetParameters().Select((p, i) => i == 0 ? kernel : p.HasDefaultValue ? p.DefaultValue : null).ToArray());
    }

    /// <summary>The folder of the F# kernel's assemblies; registers a resolver for their dependencies (once).</summary>
    static string Folder(string searchFrom)
    {
        lock (Gate)
        {
            if (_folder != null) return _folder;
            var folder = Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } v ? v : ToolFolder(searchFrom);
            if (folder == null || !File.Exists(Path.Combine(folder, "Microsoft.DotNet.Interactive.FSharp.dll")))
                throw new InvalidOperationException(
                    "F# notebooks need the F# kernel of the pinned dotnet-repl tool: run 'dotnet tool restore' in the repository (or set " + FolderVariable + ")");
            AssemblyLoadContext.Default.Resolving += (ctx, name) =>
            {
                var candidate = Path.Combine(folder, name.Name + ".dll");
                return File.Exists(candidate) ? ctx.LoadFromAssemblyPath(candidate) : null;
            };
            return _folder = folder;
        }
    }

    /// <summary>dotnet-repl's folder in the NuGet cache, at the version the nearest .config/dotnet-tools.json pins.</summary>
    static string? ToolFolder(string searchFrom)
    {
        string? version = null;
        for (var d = new DirectoryInfo(Path.GetFullPath(searchFrom)); d != null && version == null; d = d.Parent)
        {
            var manifest = Path.Combine(d.FullName, ".config", "dotnet-tools.json");
            if (File.Exists(manifest)) version = (string?)JsonNode.Parse(File.ReadAllText(manifest))?["tools"]?["dotnet-repl"]?["version"];
        }
        var tool = Path.Combine(Runtime.PackageNatives.NuGetPackagesRoot(), "dotnet-repl");
        if (!Directory.Exists(tool)) return null;
        var versions = version != null ? [Path.Combine(tool, version)] : Directory.GetDirectories(tool).Order().Reverse().ToArray();
        return versions.SelectMany(v => Directory.Exists(Path.Combine(v, "tools")) ? Directory.GetDirectories(Path.Combine(v, "tools"), "any", SearchOption.AllDirectories) : [])
                       .FirstOrDefault(f => File.Exists(Path.Combine(f, "Microsoft.DotNet.Interactive.FSharp.dll")));
    }
}
