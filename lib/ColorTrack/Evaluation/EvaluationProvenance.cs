using System.Runtime.InteropServices;
using ColorTrack.Runtime;

namespace ColorTrack.Evaluation;

/// <summary>
/// <see cref="RunProvenance"/> for evaluations: the same record, but without asking libtorch for its
/// version: scoring masks never loads torch, and loading it would cost an evaluation most of its run time.
/// </summary>
public static class EvaluationProvenance
{
    public static RunProvenance Capture(string command, object? config)
    {
        var (commit, dirty) = RunProvenance.GitState();
        var versions = new SortedDictionary<string, string>
        {
            [".NET"] = RuntimeInformation.FrameworkDescription,
            ["ColorTrack"] = typeof(EvaluationProvenance).Assembly.GetName().Version?.ToString() ?? "?",
            ["Microsoft.Data.Analysis"] = typeof(Microsoft.Data.Analysis.DataFrame).Assembly.GetName().Version?.ToString() ?? "?",
        };
        return new RunProvenance(command, config, null, commit, dirty, DateTimeOffset.Now,
            $"{Environment.MachineName} ({RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores)", versions);
    }
}
