using System.CommandLine;
using System.Globalization;
using ColorTrack.Runtime;

namespace ColorTrack.Cli;

/// <summary>
/// The one `--threads` option of every command that computes: torch's intra-op threads, OpenCV's
/// threads (decoding, optical flow) and the command's own workers. Without it, the cores not
/// already busy: on a quiet machine all of them; beside another job one fewer per busy core (from
/// the 1-minute load average), because OpenMP's spinning threads slow down badly when the cores
/// are oversubscribed (measured: benchmarks/README.md, "Threads"). Under MPI, each rank takes its
/// share of the machine's cores.
/// </summary>
public static class ComputeThreads
{
    public static Option<int?> CreateOption() => new("--threads")
    {
        Description = "Compute threads (default: the cores not busy with other work, by the load average; 1 on a machine shared with other jobs)",
    };

    /// <summary>The thread count to use: the one given (fewer than 1 is bad input), else OMP_NUM_THREADS when set, else <see cref="Default"/>.</summary>
    public static int Resolve(int? threads)
    {
        if (threads is { } n && n < 1) throw new BadInputException("--threads", "must be at least 1");
        if (threads is null && int.TryParse(Environment.GetEnvironmentVariable("OMP_NUM_THREADS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var omp) && omp >= 1)
            return omp;
        return threads ?? Default();
    }

    /// <summary>Resolve, then set torch's and OpenCV's thread counts; returns the count.</summary>
    public static int Apply(int? threads)
    {
        int n = Resolve(threads);
        TorchRuntime.EnsureLoaded();
        TorchSharp.torch.set_num_threads(n);
        OpenCvRuntime.EnsureLoaded();
        OpenCvSharp.Cv2.SetNumThreads(n);
        return n;
    }

    /// <summary>
    /// Cores minus the ones busy with other work, at least 1. Busy = the smaller of the 1-minute load
    /// average and the runnable tasks right now besides this one (the least of a few samples): the
    /// load average alone still counts a job that just ended (measured: a script's second `track`
    /// then ran on one thread at 1.8x the time), the instant count alone our own startup threads.
    /// </summary>
    public static int Default()
    {
        int cores = Environment.ProcessorCount;
        // MPI ranks on one machine share its cores: each takes its part (cores / ranks here), load or not.
        if (Mpi.World is { } world) return Math.Max(1, cores / world.LocalSize);
        var load = LoadAverage();
        var runnable = OtherRunnableTasks();
        double busy = load is null || runnable is null ? load ?? runnable ?? 0 : Math.Min(load.Value, runnable.Value);
        return Math.Clamp(cores - (int)Math.Round(busy), 1, cores);
    }

    /// <summary>Runnable tasks other than this thread (/proc/loadavg's 4th field, minus one), least of 5 samples 20 ms apart; null where there is none.</summary>
    public static int? OtherRunnableTasks()
    {
        int? least = null;
        for (int i = 0; i < 5; i++)
        {
            if (i > 0) Thread.Sleep(20);
            if (ReadLoadAvgField(3) is not { } field) return null;
            var running = field.Split('/')[0];
            if (int.TryParse(running, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) least = Math.Min(least ?? int.MaxValue, Math.Max(0, n - 1));
        }
        return least;
    }

    static string? ReadLoadAvgField(int index)
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries)[index]; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException) { return null; }
    }

    /// <summary>The 1-minute load average (Linux /proc/loadavg), or null where there is none.</summary>
    public static double? LoadAverage() =>
        ReadLoadAvgField(0) is { } first && double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
