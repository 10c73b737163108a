using System.CommandLine;
using ColorTrack.Datasets;
using ColorTrack.Evaluation;
using ColorTrack.Runtime;
using Microsoft.Data.Analysis;
using Spectre.Console;

namespace ColorTrack.Cli.Commands;

/// <summary>
/// `colortrack eval-davis`: score a folder of predicted masks (results/&lt;seq&gt;/&lt;frame&gt;.png) against
/// DAVIS ground truth with the official semi-supervised protocol; print the table, write CSV +
/// Markdown (+ provenance), the per-frame values, the attribute breakdown, J over time and the
/// multi-object subset.
/// </summary>
public static class EvalDavisCommand
{
    /// <summary>What a run was asked to do; recorded in the provenance of every file it writes.</summary>
    public sealed record Options(string Davis, string Results, string Set, string Year, string[] Sequences, string Out, int Threads);

    public static Command Create()
    {
        var davis = new Option<string>("--davis") { Description = "DAVIS root (Annotations/480p + ImageSets), or a plain folder of ground-truth sequences", Required = true };
        var results = new Option<string>("--results") { Description = "folder of predictions: <seq>/<frame>.png (palette, gray 0/255 or DAVIS-colour RGB)", Required = true };
        var set = new Option<string>("--set") { Description = "image set: val, train, ...", DefaultValueFactory = _ => "val" };
        var year = new Option<string>("--year") { Description = "ImageSets/<year>/<set>.txt (2016 also reads ImageSets/480p/<set>.txt)", DefaultValueFactory = _ => "2017" };
        var sequences = new Option<string[]>("--sequences") { Description = "evaluate only these sequences", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
        var output = new Option<string?>("--out") { Description = "results CSV (default: <results>/davis<year>-<set>.csv); .md, .provenance.json and the breakdowns go beside it" };
        var threads = ComputeThreads.CreateOption(); // here: parallel scoring workers
        var cmd = new Command("eval-davis", "Score predicted masks with the official DAVIS J&F (semi-supervised protocol).")
        {
            davis, results, set, year, sequences, output, threads,
        };
        cmd.SetAction(p =>
        {
            var r = p.GetValue(results)!;
            var o = new Options(p.GetValue(davis)!, r, p.GetValue(set)!, p.GetValue(year)!, p.GetValue(sequences) ?? [],
                p.GetValue(output) ?? Path.Combine(r, $"davis{p.GetValue(year)}-{p.GetValue(set)}.csv"), ComputeThreads.Resolve(p.GetValue(threads)));
            return Run(o);
        });
        return cmd;
    }

    public static int Run(Options o)
    {
        // Asking git for the commit spawns processes: do it while the masks are scored.
        AtomicFile.CheckWritable(o.Out);   // an output that cannot be written is refused before the scoring, not after
        var provenanceTask = Task.Factory.StartNew(() => EvaluationProvenance.Capture("colortrack eval-davis", o), TaskCreationOptions.LongRunning);
        var truth = DavisDataset.Open(o.Davis, o.Set, o.Year, o.Sequences, warn: w => Console.Error.WriteLine($"note: {w}"));
        var evaluation = Evaluate(truth, o);
        var provenance = provenanceTask.GetAwaiter().GetResult();

        var table = evaluation.ToDataFrame();
        var stem = Path.ChangeExtension(o.Out, null);
        var multi = evaluation.MultiObjectSubset();
        var dbInfo = DavisSequenceInfo.Find(o.Davis);
        // Every file is written atomically (flushed to disk, then renamed): one thread per file lets
        // the flushes overlap instead of queueing behind the two pool threads of a 2-core machine.
        var writes = new List<Action>
        {
            () => ResultsTable.Save(table, stem + ".csv", provenance, $"DAVIS {o.Year} {o.Set}: J&F per sequence and object"),
            () => ResultsTable.Save(evaluation.PerFrameDataFrame(), stem + "-per-frame.csv", provenance, markdown: false),
            () => ResultsTable.Save(DavisBreakdowns.OverNormalisedTime(evaluation), stem + "-time.csv", provenance, "J and F over normalised time in the video"),
            () => provenance.Save(stem + ".provenance.json"),
        };
        if (multi.Objects.Count > 0)
            writes.Add(() => ResultsTable.Save(multi.ToDataFrame(), stem + "-multi-object.csv", provenance, "Sequences with two or more objects"));
        if (dbInfo != null)
        {
            var (attributes, info) = DavisSequenceInfo.Load(dbInfo);
            writes.Add(() => ResultsTable.Save(DavisBreakdowns.ByAttribute(evaluation, attributes, info), stem + "-attributes.csv", provenance, "J and F by DAVIS attribute"));
        }
        try { Task.WaitAll(writes.Select(w => Task.Factory.StartNew(w, TaskCreationOptions.LongRunning))); }
        catch (AggregateException e) // the files share one folder: report its first problem once, not once per file
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.Flatten().InnerExceptions.FirstOrDefault(x => x is BadInputException) ?? e.InnerExceptions[0]);
        }

        Print(table, evaluation, multi);
        Console.WriteLine($"wrote {stem}.csv (+ .md, .provenance.json, -per-frame, -time{(multi.Objects.Count > 0 ? ", -multi-object" : "")}{(dbInfo != null ? ", -attributes" : "")})");
        return 0;
    }

    static DavisEvaluation Evaluate(IReadOnlyList<DavisSequence> truth, Options o)
    {
        if (Console.IsOutputRedirected) return DavisEvaluator.Evaluate(truth, o.Results, threads: o.Threads);
        DavisEvaluation? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"scoring {truth.Count} sequences");
                result = DavisEvaluator.Evaluate(truth, o.Results, (done, total) => { task.MaxValue = total; task.Value = done; }, o.Threads);
            });
        return result!;
    }

    static void Print(DataFrame table, DavisEvaluation all, DavisEvaluation multi)
    {
        var t = ResultsConsole.ToTable(table, "F3");
        if (multi.Objects.Count > 0 && multi.Objects.Count < all.Objects.Count)
            t.AddRow(new[] { "Multi-object", "" }.Concat(multi.SummaryValues().Select(v => ResultsConsole.Format(v, "F3"))).ToArray());
        ResultsConsole.Write(t);
    }
}
