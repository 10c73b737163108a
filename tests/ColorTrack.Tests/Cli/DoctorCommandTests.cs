using ColorTrack.Runtime;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Cli;

public class DoctorCommandTests
{
    static string NativeDir => TorchRuntime.NativeDirectory ?? throw new InvalidOperationException("natives not found next to the tests");

    [Fact]
    public void Doctor_ReportsCpuTorchAndOpenCv()
    {
        var r = CliProcess.Run(["doctor"]);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("TorchSharp   0.107.0", r.Stdout);
        Assert.Contains("libtorch     2.10", r.Stdout);
        Assert.Matches(@"device\s+cpu", r.Stdout);
        Assert.Contains("OpenCV", r.Stdout);
    }

    [Fact]
    public void Doctor_CorruptNativeLibrary_OneLineErrorAndNonZeroExit()
    {
        using var dir = new TempDir();
        LinkNatives(dir.Path, except: "libLibTorchSharp.so");
        File.WriteAllText(dir["libLibTorchSharp.so"], "not an ELF file");
        var r = CliProcess.Run(["doctor"], new Dictionary<string, string> { [TorchRuntime.NativeDirVariable] = dir.Path });
        Assert.Equal(3, r.ExitCode);
        var line = Assert.Single(r.StderrLines);
        Assert.StartsWith("error: libtorch could not be loaded from", line);
        Assert.Contains("dotnet build", line);
        Assert.DoesNotContain("   at ", r.Stderr); // no stack trace
    }

    [Fact]
    public void Doctor_UnpatchedNuGetNative_NamesTheMissingGlibcxxVersion()
    {
        // The real failure this project works around: the library as shipped in the NuGet cache.
        var home = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var shipped = Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(shipped), shipped);
        bool systemHasVersion = File.ReadAllText("/usr/lib/x86_64-linux-gnu/libstdc++.so.6").Contains("GLIBCXX_3.4.32");

        using var dir = new TempDir();
        LinkNatives(dir.Path, except: "libLibTorchSharp.so");
        File.Copy(shipped, dir["libLibTorchSharp.so"]);
        var r = CliProcess.Run(["doctor"], new Dictionary<string, string> { [TorchRuntime.NativeDirVariable] = dir.Path });
        if (systemHasVersion)
            Assert.Equal(0, r.ExitCode);
        else
        {
            Assert.Equal(3, r.ExitCode);
            Assert.Contains("GLIBCXX_3.4.32", Assert.Single(r.StderrLines));
        }
    }

    static void LinkNatives(string target, string except)
    {
        foreach (var f in Directory.EnumerateFiles(NativeDir))
            if (Path.GetFileName(f) != except)
                File.CreateSymbolicLink(Path.Combine(target, Path.GetFileName(f)), f);
    }
}
