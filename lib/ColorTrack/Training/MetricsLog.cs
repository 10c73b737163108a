using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ColorTrack.Contracts;
using ColorTrack.Runtime;

namespace ColorTrack.Training;

/// <summary>
/// metrics.jsonl in the run folder: one JSON object per step
/// (<c>{"step":1,"loss":2.7,"lr":0.001,"clipsPerSecond":5.1,"wallSeconds":1.6}</c>), flushed line by line
/// so the notebooks can plot a run while it trains. Validation scores are lines of their own,
/// <c>{"step":500,"validation":{"jf":0.52,"j":0.51,"f":0.53,"seconds":31}}</c>. On resume, lines after
/// the checkpoint's step are dropped (they belong to steps that will be redone).
/// </summary>
public sealed class MetricsLog : IDisposable
{
    public const string FileName = "metrics.jsonl";

    readonly StreamWriter writer;

    /// <summary>Training time already logged before this session (from the kept lines).</summary>
    public double PreviousWallSeconds { get; }

    MetricsLog(string path, double previousWall)
    {
        writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        PreviousWallSeconds = previousWall;
    }

    /// <summary>Open the log of a run, keeping only the lines of steps &lt;= keepUpToStep.</summary>
    public static MetricsLog Open(string runDir, long keepUpToStep)
    {
        var path = Path.Combine(runDir, FileName);
        var wall = 0.0;
        if (File.Exists(path))
        {
            var kept = new List<string>();
            foreach (var line in File.ReadLines(path))
            {
                if (string.IsNullOrWhiteSpace(line)) continue;
                JsonNode? node;
                try { node = JsonNode.Parse(line); } catch (JsonException) { continue; } // a line cut by a kill
                var step = node?["step"]?.GetValue<long>() ?? long.MaxValue;
                if (step > keepUpToStep) continue;
                kept.Add(line);
                wall = node?["wallSeconds"]?.GetValue<double>() ?? wall;
            }
            AtomicFile.WriteAllText(path, kept.Count == 0 ? "" : string.Join("\n", kept) + "\n");
        }
        return new MetricsLog(path, wall);
    }

    public void Append(TrainingProgress p) =>
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"step\":{p.Step},\"loss\":{Num(p.Loss)},\"lr\":{Num(p.LearningRate)},\"clipsPerSecond\":{Num(p.ClipsPerSecond)},\"wallSeconds\":{Num(p.WallSeconds)}}}"));

    public void AppendValidation(long step, ValidationScore v) =>
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"step\":{step},\"validation\":{{\"jf\":{Num(v.JAndF)},\"j\":{Num(v.J)},\"f\":{Num(v.F)},\"seconds\":{Num(v.Seconds)}}}}}"));

    static string Num(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : $"\"{v.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Read a run's training steps (for notebooks and tests); validation lines are skipped.</summary>
    public static IReadOnlyList<TrainingProgress> Read(string runDir)
    {
        var rows = new List<TrainingProgress>();
        foreach (var n in Lines(runDir))
        {
            if (n["loss"] is null) continue;
            rows.Add(new TrainingProgress(n["step"]!.GetValue<long>(), 0, D(n, "loss"), D(n, "lr"), D(n, "clipsPerSecond"), D(n, "wallSeconds")));
        }
        return rows;
    }

    /// <summary>A run's validation scores in step order (empty when it was trained without validation).</summary>
    public static IReadOnlyList<(long Step, ValidationScore Score)> ReadValidation(string runDir)
    {
        var rows = new List<(long, ValidationScore)>();
        if (!File.Exists(Path.Combine(runDir, FileName))) return rows;
        foreach (var n in Lines(runDir))
            if (n["validation"] is JsonNode v)
                rows.Add((n["step"]!.GetValue<long>(), new ValidationScore(D(v, "jf"), D(v, "j"), D(v, "f"), D(v, "seconds"))));
        return rows;
    }

    static IEnumerable<JsonNode> Lines(string runDir)
    {
        foreach (var line in File.ReadLines(Path.Combine(runDir, FileName)))
            if (!string.IsNullOrWhiteSpace(line)) yield return JsonNode.Parse(line)!;
    }

    static double D(JsonNode n, string k) =>
        n[k]!.GetValueKind() == JsonValueKind.Number ? n[k]!.GetValue<double>() : double.Parse(n[k]!.GetValue<string>(), CultureInfo.InvariantCulture);

    public void Dispose() => writer.Dispose();
}
