using ColorTrack.Runtime;

namespace ColorTrack.Cli;

/// <summary>
/// The CLI's error boundary: expected failures (bad input, libtorch missing, Ctrl-C) become one line
/// on stderr and a non-zero exit code; anything unexpected too, with the stack trace only when
/// COLORTRACK_DEBUG=1.
/// </summary>
public static class CliErrors
{
    public const int BadInput = 2, NativeMissing = 3, MpiFailed = 4, Cancelled = 130, Internal = 1;

    public static int Run(Func<int> body)
    {
        int code;
        try { return body(); }
        catch (Exception e) { code = Report(e); }
        // One rank of an MPI job that fails ends the job (the others would wait for it for ever).
        if (Mpi.World is { Size: > 1 } world) world.Abort(code);
        return code;
    }

    public static int Report(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        while (e is System.Reflection.TargetInvocationException { InnerException: { } inner }) e = inner;
        var (code, line) = e switch
        {
            BadInputException b => (BadInput, $"error: {SettingFlags.Subject(b)}: {b.Problem}"),
            NativeLibraryUnavailableException t => (NativeMissing, $"error: {t.Message}"),
            MpiException m => (MpiFailed, $"error: {RankPrefix()}{m.Message}"),
            OperationCanceledException => (Cancelled, "cancelled"),
            FileNotFoundException f => (BadInput, $"error: {f.FileName ?? "?"}: file not found"),
            DirectoryNotFoundException d => (BadInput, $"error: {OneLine(d.Message)}"),
            UnauthorizedAccessException u => (BadInput, $"error: {OneLine(u.Message)}"),
            IOException io => (BadInput, $"error: {OneLine(io.Message)}"),
            _ => (Internal, $"internal error: {e.GetType().Name}: {OneLine(e.Message)} (set COLORTRACK_DEBUG=1 for the stack trace)"),
        };
        Console.Error.WriteLine(line);
        if (Environment.GetEnvironmentVariable("COLORTRACK_DEBUG") == "1") Console.Error.WriteLine(e);
        return code;
    }

    /// <summary>"rank 1 of 2: " under MPI, so a job's error line says which rank saw it.</summary>
    static string RankPrefix() => Mpi.World is { } w ? $"rank {w.Rank} of {w.Size}: " : "";

    static string OneLine(string s) => ErrorText.FirstLine(s);
}
