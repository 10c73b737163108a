using System.Reflection;
using System.Text.RegularExpressions;

namespace ColorTrack.Notebooks.Rendering;

/// <summary>
/// Every notebook's first cell names the packages, <c>#r "nuget: ColorTrack.Notebooks, 0.2.0"</c>, which is what
/// works in any notebook host outside the repository. When this program runs a notebook (render-notebooks,
/// the tests), the directive is bound to the ColorTrack this program itself runs: the clone's build, or the
/// installed tool's package. That is the one switch: who runs the page. The kernel shares this process, so a
/// second copy of the library restored from a feed would never be the one that runs anyway.
/// </summary>
public static partial class PackageBinding
{
    /// <summary>The assemblies a notebook may name directly once the package is referenced, as #r "nuget:" would give it.</summary>
    static readonly string[] LibraryAssemblies = ["ColorTrack", "TorchSharp", "Microsoft.Data.Analysis"];
    static readonly string[] NotebookAssemblies = [.. LibraryAssemblies, "ColorTrack.Notebooks", "Plotly.NET", "Plotly.NET.CSharp"];

    /// <summary>This program's ColorTrack version, e.g. 0.2.0 (the packages' version: one place, Directory.Build.props).</summary>
    public static string Version => Informational(typeof(ColorTrack.Model.ShippedModel).Assembly).Split('+')[0];

    /// <summary>
    /// The source with each <c>#r "nuget: ColorTrack[.Notebooks][, version]"</c> line replaced by <c>#r</c> lines for
    /// this program's assemblies (C# and F# read the same). A version other than this program's is an error.
    /// </summary>
    public static string Bind(string source, string notebook)
    {
        var folder = Path.GetDirectoryName(typeof(PackageBinding).Assembly.Location)!;
        return Directive().Replace(source, m =>
        {
            var version = m.Groups["version"].Value.Trim();
            if (version.Length > 0 && version != Version && version != "*")
                throw new BadInputException(notebook, $"asks for {m.Groups["id"].Value} {version}, but this colortrack is {Version} (update the first cell's version)");
            var names = m.Groups["id"].Value.Equals("ColorTrack", StringComparison.OrdinalIgnoreCase) ? LibraryAssemblies : NotebookAssemblies;
            return string.Join("\n", names.Select(n => $"#r \"{Path.Combine(folder, n + ".dll")}\""));
        });
    }

    /// <summary>What produced a page, for its footer: e.g. "ColorTrack 0.2.0+55c1480 (this clone's build)".</summary>
    public static string ProducedBy()
    {
        var asm = typeof(ColorTrack.Model.ShippedModel).Assembly;
        var location = asm.Location.Replace('\\', '/');
        var origin = location.Contains("/.store/", StringComparison.Ordinal) || location.Contains("/.nuget/packages/", StringComparison.OrdinalIgnoreCase)
            ? "the NuGet packages" : "a build of the repository";
        var v = Informational(asm);
        var plus = v.IndexOf('+');
        if (plus >= 0 && v.Length > plus + 8) v = v[..(plus + 8)]; // 0.2.0+55c1480: short commit
        return $"ColorTrack {v} ({origin})";
    }

    static string Informational(Assembly a) =>
        a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? a.GetName().Version?.ToString() ?? "?";

    [GeneratedRegex(@"^[ \t]*#r[ \t]+""nuget:[ \t]*(?<id>ColorTrack(\.Notebooks)?)[ \t]*(,(?<version>[^""]*))?""[ \t]*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex Directive();
}
