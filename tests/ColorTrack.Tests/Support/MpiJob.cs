using System.Diagnostics;

namespace ColorTrack.Tests.Support;

/// <summary>
/// Runs the built `colortrack` as an MPI job: `mpiexec -n N dotnet ColorTrack.Cli.dll ...` with MPICH's
/// launcher (Debian's mpich). Tests that need it are skipped where there is none, and fail instead when
/// WORKBENCH_REQUIRE_MPI=1 (CI installs mpich).
/// </summary>
public static class MpiJob
{
    /// <summary>MPICH's mpiexec (hydra), or null.</summary>
    public static string? Launcher { get; } = new[] { "/usr/bin/mpiexec.hydra", "/usr/bin/mpiexec.mpich" }.FirstOrDefault(File.Exists);

    public static bool Required => Environment.GetEnvironmentVariable("WORKBENCH_REQUIRE_MPI") == "1";

    public static string MissingMessage => "MPI tests not run: no MPICH mpiexec (apt-get install mpich)";

    /// <summary>Start the job; the caller waits (or kills one of its ranks).</summary>
    public static Process Start(int ranks, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(Launcher ?? throw new InvalidOperationException(MissingMessage))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoRoot.Path,
        };
        foreach (var a in new[] { "-n", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "dotnet", Path.Combine(AppContext.BaseDirectory, "ColorTrack.Cli.dll") }.Concat(args))
            psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["OMP_NUM_THREADS"] = "1";
        return Process.Start(psi)!;
    }

    public static CliProcess.Result Run(int ranks, IEnumerable<string> args, int timeoutSeconds = 600)
    {
        using var p = Start(ranks, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000)) { p.Kill(true); throw new TimeoutException("mpiexec " + string.Join(' ', args)); }
        return new CliProcess.Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The pids of the job's rank processes with their rank (from PMI_RANK in their environment).</summary>
    public static Dictionary<int, int> Ranks(string marker)
    {
        var ranks = new Dictionary<int, int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (!cmd.Contains("ColorTrack.Cli.dll", StringComparison.Ordinal) || !cmd.Contains(marker, StringComparison.Ordinal) || cmd.StartsWith("mpiexec", StringComparison.Ordinal)) continue;
                var env = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0');
                if (env.FirstOrDefault(e => e.StartsWith("PMI_RANK=", StringComparison.Ordinal)) is { } r) ranks[int.Parse(r[9..], System.Globalization.CultureInfo.InvariantCulture)] = pid;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return ranks;
    }
}

/// <summary>A fact that needs MPICH's mpiexec: skipped with the reason where there is none, failed when CI requires it.</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (MpiJob.Launcher is null && !MpiJob.Required) Skip = MpiJob.MissingMessage;
    }
}
