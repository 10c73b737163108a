using System.CommandLine;
using ColorTrack.Runtime;

namespace ColorTrack.Cli;

/// <summary>The `--threads` option of the commands that train: torch compute threads.</summary>
public static class TorchThreads
{
    public static Option<int?> CreateOption() => new("--threads")
    {
        Description = "Torch compute threads (default: libtorch's choice, all cores; use 1 on a machine shared with other jobs, where OpenMP's spinning threads slow down badly)",
    };

    /// <summary>Set the thread count when one was given; fewer than 1 is bad input.</summary>
    public static void Apply(int? threads)
    {
        if (threads is not { } n) return;
        if (n < 1) throw new BadInputException("--threads", "must be at least 1");
        TorchRuntime.EnsureLoaded();
        TorchSharp.torch.set_num_threads(n);
    }
}
