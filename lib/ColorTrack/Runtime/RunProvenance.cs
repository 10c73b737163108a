using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ColorTrack.Runtime;

/// <summary>
/// What produced an output: written next to every run's results (config, seed, git commit, package
/// versions, machine), so any number in a table can be traced back to the code and settings.
/// </summary>
public sealed record RunProvenance(
    string Command,
    object? Config,
    long? Seed,
    string GitCommit,
    bool GitDirty,
    DateTimeOffset Date,
    string Machine,
    IReadOnlyDictionary<string, string> Versions)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Capture the provenance of a run now.</summary>
    public static RunProvenance Capture(string command, object? config = null, long? seed = null)
    {
        var (commit, dirty) = GitState();
        return new RunProvenance(command, config, seed, commit, dirty, DateTimeOffset.Now,
            $"{Environment.MachineName} ({RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores)",
            PackageVersions());
    }

    /// <summary>Write as JSON, atomically (temporary file, then rename).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static IReadOnlyDictionary<string, string> PackageVersions()
    {
        var v = new SortedDictionary<string, string>
        {
            [".NET"] = RuntimeInformation.FrameworkDescription,
            ["ColorTrack"] = TorchRuntime.InformationalVersion(typeof(RunProvenance).Assembly),
        };
        void Add(string name, Func<Assembly> a) { try { v[name] = TorchRuntime.InformationalVersion(a()); } catch { } }
        Add("TorchSharp", () => typeof(TorchSharp.torch).Assembly);
        Add("OpenCvSharp4", () => typeof(OpenCvSharp.Mat).Assembly);
        Add("SixLabors.ImageSharp", () => typeof(SixLabors.ImageSharp.Image).Assembly);
        try { v["libtorch"] = TorchRuntime.LibTorchVersion; } catch { }
        return v;
    }

    /// <summary>The commit of the repository holding the current directory, or "unknown".</summary>
    public static (string Commit, bool Dirty) GitState()
    {
        try
        {
            string Run(string args)
            {
                var psi = new ProcessStartInfo("git", args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                using var p = Process.Start(psi)!;
                var o = p.StandardOutput.ReadToEnd();
                p.WaitForExit(5000);
                return p.ExitCode == 0 ? o.Trim() : "";
            }
            var commit = Run("rev-parse HEAD");
            if (commit.Length == 0) return ("unknown", false);
            return (commit, Run("status --porcelain --untracked-files=no").Length > 0);
        }
        catch { return ("unknown", false); }
    }
}
