using System.Runtime.InteropServices;

namespace ColorTrack.Runtime;

/// <summary>
/// Makes libtorch's OpenMP threads (libgomp) sleep as soon as a parallel region ends, instead of
/// spinning for 300,000 turns first: <c>OMP_WAIT_POLICY=PASSIVE</c>, set in the process's C
/// environment before libtorch, and with it libgomp, is loaded (libgomp reads it once, when it loads).
///
/// Why: between two torch calls the main thread runs C# (top-k mixing, PNG writing, decoding), and
/// spinning workers hold the other core meanwhile. Measured with `track` (shipped model, 30 frames of
/// bear at 512x288, 2 threads): quiet, the same wall time (7.6 s) for 8.7 s of CPU instead of 13.0;
/// beside one busy-looping job, 8.2-8.5 s instead of 23.7. Costs: imagenet18 propagation at 480p
/// 0.41 against 0.40 s a frame; the training step no slower (small-lab4 1.06-1.10 against 1.12-1.21 s).
/// The user's own OMP_WAIT_POLICY or GOMP_SPINCOUNT wins. Only this process is affected: .NET
/// starts child processes with its own copy of the environment, not the C one.
/// </summary>
public static partial class OpenMpWaitPolicy
{
    public const string Variable = "OMP_WAIT_POLICY", SpinCountVariable = "GOMP_SPINCOUNT";

    /// <summary>What <see cref="SleepWhenIdle"/> did, for `colortrack doctor`.</summary>
    public static string State { get; private set; } = "not set by colortrack (libtorch not loaded yet)";

    /// <summary>Whether <see cref="SleepWhenIdle"/> set the variable.</summary>
    public static bool Applied { get; private set; }

    /// <summary>Idempotent. Call before libtorch loads; later it can only say that it is too late.</summary>
    public static void SleepWhenIdle()
    {
        if (Applied) return;
        var own = Environment.GetEnvironmentVariable(Variable);
        var spin = Environment.GetEnvironmentVariable(SpinCountVariable);
        if (own != null || spin != null)
        {
            State = own != null ? $"{Variable}={own} (yours)" : $"{SpinCountVariable}={spin} (yours)";
            return;
        }
        if (!OperatingSystem.IsLinux()) { State = "default (not Linux)"; return; }
        if (LibGompLoaded()) { State = "default (libgomp was loaded before colortrack could set it)"; return; }
        try
        {
            Applied = setenv(Variable, "PASSIVE", 0) == 0;
            State = Applied ? $"{Variable}=PASSIVE (set by colortrack: idle threads sleep; set {Variable} to choose)" : "default (setenv failed)";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            State = "default (no setenv in this libc)";
        }
    }

    static bool LibGompLoaded()
    {
        try { return File.ReadAllText("/proc/self/maps").Contains("libgomp", StringComparison.Ordinal); }
        catch (IOException) { return false; }
    }

    [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
