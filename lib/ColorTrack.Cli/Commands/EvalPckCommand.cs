using System.CommandLine;
using ColorTrack.Runtime;
using ColorTrack.Datasets;
using ColorTrack.Evaluation;

namespace ColorTrack.Cli.Commands;

/// <summary>
/// `colortrack eval-pck`: JHMDB pose tracking PCK@0.1..0.5 of keypoint predictions
/// (&lt;results&gt;/&lt;clip&gt;.json, see <see cref="KeypointPrediction"/>) against the joint_positions.mat files
/// under a JHMDB root; prints the per-joint table, writes CSV + Markdown + provenance.
/// </summary>
public static class EvalPckCommand
{
    /// <summary>What a run was asked to do; recorded in the provenance of every file it writes.</summary>
    public sealed record Options(string Jhmdb, string Results, string[] Clips, string Out);

    public static Command Create()
    {
        var jhmdb = new Option<string>("--jhmdb") { Description = "JHMDB root: folders holding joint_positions.mat (official layout joint_positions/<class>/<clip>/), or a DAVIS-layout root with keypoint truth in Keypoints/<seq>.json (colortrack synth)", Required = true };
        var results = new Option<string>("--results") { Description = "folder of keypoint predictions per clip: <clip>.json ({\"frames\": [{\"frame\": 0, \"points\": [[x, y, visible], ...15]}]}, zero-based pixels), <clip>.csv (frame,joint,x,y,visible) or <clip>/keypoints.json from colortrack track", Required = true };
        var clips = new Option<string[]>("--clips") { Description = "evaluate only these clips", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
        var output = new Option<string?>("--out") { Description = "results CSV (default: <results>/pck.csv); .md and .provenance.json go beside it" };
        var cmd = new Command("eval-pck", "JHMDB keypoint tracking accuracy: PCK@0.1..0.5 as the standard (CRW/UVC) evaluation computes it.")
        {
            jhmdb, results, clips, output,
        };
        cmd.SetAction(p =>
        {
            var r = p.GetValue(results)!;
            return Run(new Options(p.GetValue(jhmdb)!, r, p.GetValue(clips) ?? [], p.GetValue(output) ?? Path.Combine(r, "pck.csv")));
        });
        return cmd;
    }

    public static int Run(Options o)
    {
        AtomicFile.CheckWritable(o.Out);
        var all = JhmdbJoints.FindClips(o.Jhmdb);
        var unknown = o.Clips.Where(c => !all.ContainsKey(c)).ToList();
        if (unknown.Count > 0) throw new BadInputException(o.Jhmdb, $"no joint_positions.mat for clips: {string.Join(", ", unknown)}");
        var chosen = o.Clips.Length > 0 ? o.Clips.Distinct().ToList() : all.Keys.ToList();
        if (!Directory.Exists(o.Results)) throw new BadInputException(o.Results, "results folder not found");
        var files = chosen.ToDictionary(c => c, c => KeypointPrediction.Find(o.Results, c));
        var missing = chosen.Where(c => files[c] == null).ToList();
        if (missing.Count > 0)
            throw new BadInputException(o.Results, $"no predictions (<clip>.json, <clip>.csv or <clip>/keypoints.json) for {missing.Count} of {chosen.Count} clips: {string.Join(", ", missing)}");

        var pairs = chosen.Select(c =>
        {
            var truth = JhmdbJoints.Load(all[c], c);
            var path = files[c]!;
            var pred = KeypointPrediction.Load(path);
            if (pred.Frames != truth.Frames) throw new BadInputException(path, $"{pred.Frames} frames predicted, the clip has {truth.Frames}");
            if (pred.X.Any(f => f.Length != JhmdbJoints.JointCount)) throw new BadInputException(path, $"every frame needs {JhmdbJoints.JointCount} points");
            return (truth, pred);
        }).ToList();
        var result = PckEvaluator.Evaluate(pairs);

        var table = result.ToDataFrame();
        var provenance = EvaluationProvenance.Capture("colortrack eval-pck", o);
        var stem = Path.ChangeExtension(o.Out, null);
        ResultsTable.Save(table, stem + ".csv", provenance, $"JHMDB PCK over {pairs.Count} clips");
        provenance.Save(stem + ".provenance.json");

        ResultsConsole.Write(ResultsConsole.ToTable(table, "F2"));
        Console.WriteLine($"wrote {stem}.csv (+ .md, .provenance.json)");
        return 0;
    }
}
