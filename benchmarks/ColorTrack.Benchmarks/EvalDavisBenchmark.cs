using System.Diagnostics;
using System.Runtime.InteropServices;
using ColorTrack.Datasets;
using ColorTrack.Evaluation;
using ColorTrack.Imaging;

namespace ColorTrack.Benchmarks;

/// <summary>
/// `colortrack eval-davis` from process start to exit on the 6 sequences of shared/data/davis2016-train
/// (407 frames, identity predictions written here with MaskPng): median wall time of several runs and
/// the child's peak RSS (getrusage RUSAGE_CHILDREN). Reference: the official Python evaluator, ~9 s and
/// 1.6 GB on this kind of 2-core machine. Also times the in-process parts (PNG reading, scoring).
/// Usage: eval-davis [--runs 7] [--shared DIR] [--cli path/to/ColorTrack.Cli.dll] [--threads T] [--work DIR]
/// </summary>
public static class EvalDavisBenchmark
{
    const double OfficialSeconds = 9.0, OfficialMiB = 1600;

    public static int Run(string[] args)
    {
        int runs = MatmulBenchmark.ArgInt(args, "--runs", 7);
        int threads = MatmulBenchmark.ArgInt(args, "--threads", Environment.ProcessorCount);
        var root = Arg(args, "--shared") is { } shared ? Path.Combine(shared, "data", "davis2016-train") : SharedFolder.Path("data", "davis2016-train");
        var cli = Arg(args, "--cli") ?? FindUp(Path.Combine("lib", "ColorTrack.Cli", "bin", "Release", "net10.0", "ColorTrack.Cli.dll"));
        if (!Directory.Exists(root)) { Console.Error.WriteLine($"eval-davis: {root} not found (set WORKBENCH_SHARED or --shared)"); return 2; }
        if (cli == null || !File.Exists(cli)) { Console.Error.WriteLine("eval-davis: ColorTrack.Cli.dll not found; build Release first or pass --cli"); return 2; }

        var truth = DavisDataset.Open(root, "train", "2016");
        var keep = Arg(args, "--work"); // keep the predictions and outputs here (default: a temporary folder, removed)
        var work = keep != null ? Directory.CreateDirectory(keep) : Directory.CreateTempSubdirectory("colortrack-bench-davis-");
        try
        {
            // Identity predictions: every frame = the first ground-truth mask, as palette PNGs.
            foreach (var s in truth)
            {
                var first = MaskPng.Read(s.MaskPath(s.Frames[0]));
                foreach (var f in s.Frames) MaskPng.Write(Path.Combine(work.FullName, "pred", s.Name, f + ".png"), first);
            }
            int frames = truth.Sum(s => s.Frames.Count);
            Console.WriteLine($"eval-davis: {truth.Count} sequences, {frames} frames, {threads} threads, CLI {cli}");

            var pred = Path.Combine(work.FullName, "pred");
            string[] cliArgs = [cli, "eval-davis", "--davis", root, "--results", pred, "--set", "train", "--year", "2016",
                "--out", Path.Combine(work.FullName, "out", "davis.csv"), "--threads", threads.ToString()];
            var secs = new List<double>();
            var cpu = new List<double>();
            string lastOut = "";
            for (int i = 0; i < runs + 1; i++) // the first run warms the disk cache and is not counted
            {
                double cpu0 = ChildrenCpuSeconds();
                var (s, code, output) = RunProcess("dotnet", cliArgs);
                if (code != 0) { Console.Error.WriteLine($"eval-davis: CLI exited {code}:\n{output}"); return 1; }
                if (i > 0) { secs.Add(s); cpu.Add(ChildrenCpuSeconds() - cpu0); }
                lastOut = output;
            }
            double peakMiB = ChildrenPeakRssMiB();
            double median = Measure.Median(secs);
            var global = lastOut.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("Global", StringComparison.Ordinal))?.Trim();
            Console.WriteLine($"  CLI process start->exit: median {median:F3} s over {secs.Count} runs (min {secs.Min():F3}, max {secs.Max():F3}); peak RSS {peakMiB:F0} MiB");
            Console.WriteLine($"  CLI CPU time (user + sys, robust to a busy machine): median {Measure.Median(cpu):F3} s per run; load average now {LoadAverage()}");
            Console.WriteLine($"  vs official Python (~{OfficialSeconds} s, ~{OfficialMiB} MB, measured separately): {OfficialSeconds / median:F1}x faster, {OfficialMiB / peakMiB:F1}x less memory");
            Console.WriteLine($"  {global}");

            // In-process parts, for where the time goes.
            var paths = truth.SelectMany(s => s.Frames.Select(s.MaskPath)).ToArray();
            var (read, readCpu) = Timed(() => Parallel.ForEach(paths, new ParallelOptions { MaxDegreeOfParallelism = threads }, p => MaskPng.Read(p)));
            var firsts = truth.ToDictionary(s => s.Name, s => MaskPng.Read(s.MaskPath(s.Frames[0])));
            var (eval, evalCpu) = Timed(() => DavisEvaluator.Evaluate(truth, (s, _) => firsts[s.Name], threads: threads));
            Console.WriteLine($"  in-process (median of 3): read {paths.Length} ground-truth PNGs {read * 1e3:F0} ms wall / {readCpu * 1e3:F0} ms CPU; " +
                $"evaluate (reads ground truth + scores) {eval * 1e3:F0} ms wall / {evalCpu * 1e3:F0} ms CPU");
            return 0;
        }
        finally { if (keep == null) try { work.Delete(recursive: true); } catch { } }
    }

    /// <summary>Median wall and CPU seconds of 3 runs after a warm-up (CPU time is robust to a busy machine).</summary>
    static (double Wall, double Cpu) Timed(Action body)
    {
        body();
        var wall = new List<double>(); var cpu = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            var c0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            body();
            wall.Add(sw.Elapsed.TotalSeconds);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - c0).TotalSeconds);
        }
        return (Measure.Median(wall), Measure.Median(cpu));
    }

    static (double Seconds, int Code, string Output) RunProcess(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        var s = sw.Elapsed.TotalSeconds;
        return (s, p.ExitCode, stdout.Result + stderr.Result);
    }

    [StructLayout(LayoutKind.Sequential)]
    struct RUsage
    {
        public long UtimeSec, UtimeUsec, StimeSec, StimeUsec, MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NvCsw, NivCsw;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int getrusage(int who, out RUsage usage);

    /// <summary>User + system CPU seconds of all waited-for child processes so far.</summary>
    static double ChildrenCpuSeconds() => getrusage(-1, out var u) == 0 ? u.UtimeSec + u.UtimeUsec / 1e6 + u.StimeSec + u.StimeUsec / 1e6 : double.NaN;

    static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); } catch { return "?"; }
    }

    /// <summary>Largest peak RSS of any waited-for child process so far (Linux reports KiB).</summary>
    static double ChildrenPeakRssMiB() => getrusage(-1 /* RUSAGE_CHILDREN */, out var u) == 0 ? u.MaxRss / 1024.0 : double.NaN;

    static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>A path relative to this folder or any folder above it (finds the repository's build output).</summary>
    static string? FindUp(string relative)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            var p = Path.Combine(d.FullName, relative);
            if (File.Exists(p) || Directory.Exists(p)) return p;
        }
        return null;
    }
}
