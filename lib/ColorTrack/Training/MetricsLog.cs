using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ColorTrack.Runtime;

namespace ColorTrack.Training;

/// <summary>
/// metrics.jsonl in the run folder: one JSON object per step
/// (<c>{"step":1,"loss":2.7,"lr":0.001,"clipsPerSecond":5.1,"wallSeconds":1.6}</c>), flushed line by line
/// so the notebooks can plot a run while it trains. On resume, lines after the checkpoint's step are
/// dropped (they belong to steps that will be redone).
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

    static string Num(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : $"\"{v.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Read a run's log (for notebooks and tests).</summary>
    public static IReadOnlyList<TrainingProgress> Read(string runDir)
    {
        var rows = new List<TrainingProgress>();
        foreach (var line in File.ReadLines(Path.Combine(runDir, FileName)))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var n = JsonNode.Parse(line)!;
            double D(string k) => n[k]!.GetValueKind() == JsonValueKind.Number ? n[k]!.GetValue<double>() : double.Parse(n[k]!.GetValue<string>(), CultureInfo.InvariantCulture);
            rows.Add(new TrainingProgress(n["step"]!.GetValue<long>(), 0, D("loss"), D("lr"), D("clipsPerSecond"), D("wallSeconds")));
        }
        return rows;
    }

    public void Dispose() => writer.Dispose();
}
