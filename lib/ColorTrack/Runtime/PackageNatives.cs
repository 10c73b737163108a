using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace ColorTrack.Runtime;

/// <summary>
/// Natives for a ColorTrack loaded straight from the NuGet cache (<c>#r "nuget: ColorTrack"</c> in a notebook,
/// <c>dotnet fsi</c>), where no build put patched natives next to the assembly.
///
/// Why: the cache holds TorchSharp's libLibTorchSharp.so unpatched, which Debian 12 refuses (see
/// GlibcxxWeakening). So, once per TorchSharp version, we assemble a folder under the user's cache
/// (~/.cache/colortrack/natives/): symbolic links to libtorch's libraries in the cache, and a patched copy
/// of libLibTorchSharp.so beside them (its RUNPATH is $ORIGIN, so it finds its neighbours). The NuGet
/// cache itself is never written to. The folder is built under a temporary name and renamed into place,
/// so a half-made folder is never used.
/// </summary>
public static class PackageNatives
{
    /// <summary>The prepared folder, or null when the NuGet cache does not hold TorchSharp's Linux natives.</summary>
    public static string? Prepare(string torchSharpVersion)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || RuntimeInformation.OSArchitecture != Architecture.X64) return null;
        var cache = NuGetPackagesRoot();
        var binding = Path.Combine(cache, "torchsharp", torchSharpVersion, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!File.Exists(binding)) return null;
        if (LibTorchNatives(cache, torchSharpVersion) is not { } found) return null;
        var (libtorch, libtorchPackage) = found;

        var home = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? x
                 : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        var target = Path.Combine(home, "colortrack", "natives", $"torchsharp-{torchSharpVersion}-{libtorchPackage}"); // e.g. torchsharp-0.107.0-libtorch-cpu-2.10.0
        if (File.Exists(Path.Combine(target, "libLibTorchSharp.so"))) return target;

        var staging = target + ".tmp-" + Environment.ProcessId;
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        foreach (var lib in Directory.EnumerateFiles(libtorch))
            File.CreateSymbolicLink(Path.Combine(staging, Path.GetFileName(lib)), lib);
        var copy = Path.Combine(staging, "libLibTorchSharp.so");
        File.Copy(binding, copy);
        if (GlibcxxWeakening.SystemGlibcxxVersions() is { } system) GlibcxxWeakening.Patch(copy, system);
        try { Directory.Move(staging, target); }
        catch (IOException) when (Directory.Exists(target)) { Directory.Delete(staging, recursive: true); } // another process won the race
        return target;
    }

    /// <summary>The NuGet global packages folder: $NUGET_PACKAGES, else ~/.nuget/packages.</summary>
    public static string NuGetPackagesRoot() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>
    /// libtorch's native folder for this TorchSharp: the version its backend package (TorchSharp-cuda-linux, else
    /// TorchSharp-cpu) depends on, read from that package's nuspec, e.g. libtorch-cpu 2.10.0.
    /// </summary>
    static (string Folder, string Package)? LibTorchNatives(string cache, string torchSharpVersion)
    {
        foreach (var backend in new[] { "torchsharp-cuda-linux", "torchsharp-cpu" })
        {
            var nuspec = Path.Combine(cache, backend, torchSharpVersion, backend + ".nuspec");
            if (!File.Exists(nuspec)) continue;
            var m = Regex.Match(File.ReadAllText(nuspec), "id=\"(libtorch-[^\"]+)\" version=\"([^\"]+)\"");
            if (!m.Success) continue;
            var dir = Path.Combine(cache, m.Groups[1].Value.ToLowerInvariant() + "-linux-x64", m.Groups[2].Value, "runtimes", "linux-x64", "native");
            if (File.Exists(Path.Combine(dir, "libtorch.so"))) return (dir, $"{m.Groups[1].Value.ToLowerInvariant()}-{m.Groups[2].Value}");
        }
        return null;
    }
}
