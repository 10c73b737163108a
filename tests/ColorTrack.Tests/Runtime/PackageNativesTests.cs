using System.Security.Cryptography;
using ColorTrack.Runtime;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Runtime;

/// <summary>
/// ColorTrack loaded from the NuGet cache (#r "nuget: ColorTrack") assembles its natives in the user's cache:
/// links to libtorch's libraries and a patched copy of libLibTorchSharp.so, never touching the NuGet cache.
/// </summary>
public class PackageNativesTests
{
    [Fact]
    public void Prepare_LinksLibtorch_AndPatchesACopyOfTheBinding_LeavingTheCacheAlone()
    {
        var real = PackageNatives.NuGetPackagesRoot();
        var version = TorchRuntime.TorchSharpVersion;
        var binding = Path.Combine(real, "torchsharp", version, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var nuspec = Path.Combine(real, "torchsharp-cpu", version, "torchsharp-cpu.nuspec");
        Assert.True(File.Exists(binding) && File.Exists(nuspec), "the restore put TorchSharp in the NuGet cache");

        using var dir = new TempDir();
        // A NuGet cache of our own: TorchSharp's real binding and nuspec, and a libtorch folder (only linked, never read).
        var fakeBinding = Path.Combine(dir["nuget"], "torchsharp", version, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Directory.CreateDirectory(Path.GetDirectoryName(fakeBinding)!);
        File.Copy(binding, fakeBinding);
        Directory.CreateDirectory(Path.Combine(dir["nuget"], "torchsharp-cpu", version));
        File.Copy(nuspec, Path.Combine(dir["nuget"], "torchsharp-cpu", version, "torchsharp-cpu.nuspec"));
        var libtorch = Path.Combine(dir["nuget"], "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native");
        Directory.CreateDirectory(libtorch);
        foreach (var lib in new[] { "libtorch.so", "libtorch_cpu.so", "libc10.so" }) File.WriteAllText(Path.Combine(libtorch, lib), lib);
        var before = SHA256.HashData(File.ReadAllBytes(fakeBinding));

        var saved = (Environment.GetEnvironmentVariable("NUGET_PACKAGES"), Environment.GetEnvironmentVariable("XDG_CACHE_HOME"));
        string? folder;
        try
        {
            Environment.SetEnvironmentVariable("NUGET_PACKAGES", dir["nuget"]);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", dir["cache"]);
            folder = PackageNatives.Prepare(version);
            Assert.Equal(folder, PackageNatives.Prepare(version)); // the second time: the folder as it is
        }
        finally
        {
            Environment.SetEnvironmentVariable("NUGET_PACKAGES", saved.Item1);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", saved.Item2);
        }

        Assert.Equal(Path.Combine(dir["cache"], "colortrack", "natives", $"torchsharp-{version}-libtorch-cpu-2.10.0"), folder);
        foreach (var lib in new[] { "libtorch.so", "libtorch_cpu.so", "libc10.so" })
            Assert.Equal(Path.Combine(libtorch, lib), new FileInfo(Path.Combine(folder!, lib)).LinkTarget);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(fakeBinding))); // the cache is never written to
        var copy = Path.Combine(folder!, "libLibTorchSharp.so");
        Assert.Null(new FileInfo(copy).LinkTarget);
        // Patched where this system needs it: patching again finds nothing left to weaken.
        Assert.Empty(GlibcxxWeakening.Patch(copy, GlibcxxWeakening.SystemGlibcxxVersions() ?? []));
        Assert.Empty(Directory.GetDirectories(Path.Combine(dir["cache"], "colortrack", "natives"), "*.tmp-*"));
    }

    [Fact]
    public void Prepare_WithoutTorchSharpInTheCache_IsNull()
    {
        using var dir = new TempDir();
        var saved = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        try
        {
            Environment.SetEnvironmentVariable("NUGET_PACKAGES", dir.Path);
            Assert.Null(PackageNatives.Prepare("0.107.0"));
        }
        finally { Environment.SetEnvironmentVariable("NUGET_PACKAGES", saved); }
    }
}
