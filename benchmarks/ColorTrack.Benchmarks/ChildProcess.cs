using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ColorTrack.Benchmarks;

/// <summary>One child process run to completion: wall and CPU seconds, its own peak RSS, exit code, output.</summary>
public sealed record ChildRun(double Seconds, double CpuSeconds, double PeakMiB, int ExitCode, string Output)
{
    public bool Ok => ExitCode == 0;
}

/// <summary>
/// Runs a program (ours or a peer) the same way for both sides of a comparison. Each run goes through a
/// fresh wrapper process (this executable's hidden `measure-child` entry), whose RUSAGE_CHILDREN then
/// holds exactly that one child: its peak RSS and CPU time, not the largest of all children so far.
/// The wall time is the wrapper's stopwatch around the child alone (the wrapper's own start is not counted).
/// </summary>
public static class ChildProcess
{
    public const string WrapperCommand = "measure-child";
    const string Marker = "\u0001colortrack-bench-measure\u0001";

    public static ChildRun Run(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var (self, selfArgs) = SelfCommand();
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in selfArgs) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(WrapperCommand);
        psi.ArgumentList.Add(file);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        if (environment != null) foreach (var (k, v) in environment) psi.Environment[k] = v;
        if (workingDirectory != null) psi.WorkingDirectory = workingDirectory;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        var err = stderr.Result;
        int at = err.LastIndexOf(Marker, StringComparison.Ordinal);
        if (at < 0) return new ChildRun(double.NaN, double.NaN, double.NaN, p.ExitCode == 0 ? -1 : p.ExitCode, stdout.Result + err);
        using var m = JsonDocument.Parse(err[(at + Marker.Length)..].Trim());
        var r = m.RootElement;
        return new ChildRun(r.GetProperty("seconds").GetDouble(), r.GetProperty("cpu").GetDouble(), r.GetProperty("peakMiB").GetDouble(),
            r.GetProperty("exit").GetInt32(), stdout.Result + err[..at]);
    }

    /// <summary>The wrapper: run argv[0] with the rest, inheriting stdio, then report on stderr.</summary>
    public static int Wrap(string[] args)
    {
        if (args.Length == 0) { Console.Error.WriteLine($"{WrapperCommand} PROGRAM [ARGS...]"); return 2; }
        var psi = new ProcessStartInfo(args[0]) { UseShellExecute = false };
        foreach (var a in args[1..]) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        int exit;
        try
        {
            using var p = Process.Start(psi)!;
            p.WaitForExit();
            exit = p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e) { Console.Error.WriteLine($"{args[0]}: {e.Message}"); exit = 127; }
        double secs = sw.Elapsed.TotalSeconds;
        getrusage(-1 /* RUSAGE_CHILDREN */, out var u);
        double cpu = u.UtimeSec + u.UtimeUsec / 1e6 + u.StimeSec + u.StimeUsec / 1e6;
        Console.Error.WriteLine(Marker + string.Create(CultureInfo.InvariantCulture,
            $"{{\"seconds\":{secs:R},\"cpu\":{cpu:R},\"peakMiB\":{u.MaxRss / 1024.0:R},\"exit\":{exit}}}"));
        return exit;
    }

    /// <summary>How to start this benchmark executable again (apphost, or `dotnet colortrack-bench.dll`).</summary>
    static (string File, string[] Args) SelfCommand()
    {
        var exe = Environment.ProcessPath!;
        var dll = typeof(ChildProcess).Assembly.Location;
        return Path.GetFileNameWithoutExtension(exe) == "dotnet" ? (exe, [dll]) : (exe, []);
    }

    /// <summary>Is a program on PATH (or at this path)?</summary>
    public static bool Exists(string program) =>
        program.Contains('/') ? File.Exists(program)
        : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, program)));

    [StructLayout(LayoutKind.Sequential)]
    struct RUsage
    {
        public long UtimeSec, UtimeUsec, StimeSec, StimeUsec, MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NvCsw, NivCsw;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int getrusage(int who, out RUsage usage);
}
