using System.Globalization;
using System.Text;
using System.Text.Json;
using ColorTrack.Datasets;
using ColorTrack.Runtime;

namespace ColorTrack.Evaluation;

/// <summary>
/// Predicted keypoints of one clip, in zero-based image pixels: X[t][j], Y[t][j], Visible[t][j].
/// Read from <c>&lt;results&gt;/&lt;clip&gt;.json</c>, <c>&lt;clip&gt;.csv</c> or <c>&lt;clip&gt;/keypoints.json</c> (what
/// `colortrack track` writes), in the <see cref="KeypointsFile"/> formats:
/// <code>{"joints": [...], "frames": [{"frame": 0, "points": [[x, y, visible], ... one per joint]}, ...]}</code>
/// or CSV <c>frame,joint,x,y,visible</c>. visible is 1 or 0 (0: the tracker lost the joint; it is not
/// scored and is left out of the frame's normalising box, as in the standard JHMDB evaluation).
/// JSON is read here at full double precision ("joints" optional); CSV through KeypointsFile.
/// </summary>
public sealed record KeypointPrediction(double[][] X, double[][] Y, bool[][] Visible)
{
    public int Frames => X.Length;

    /// <summary>Tracked (or user) keypoints as a prediction to score.</summary>
    public static KeypointPrediction From(KeypointsFile k) => new(
        k.Frames.Select(f => f.Select(p => (double)p.X).ToArray()).ToArray(),
        k.Frames.Select(f => f.Select(p => (double)p.Y).ToArray()).ToArray(),
        k.Frames.Select(f => f.Select(p => p.Visible).ToArray()).ToArray());

    /// <summary>
    /// From predictions on a feature grid, as the CRW/UVC scripts save them ([2, joints, T], x first):
    /// pixels = grid / featRes * width (x) or * height (y); a negative grid x means not visible.
    /// </summary>
    public static KeypointPrediction FromGrid(double[][][] gridXy, int featRes, int width, int height)
    {
        int joints = gridXy[0].Length, frames = gridXy[0][0].Length;
        double[][] Scale(int axis, int size) => Enumerable.Range(0, frames)
            .Select(t => Enumerable.Range(0, joints).Select(j => gridXy[axis][j][t] / featRes * size).ToArray()).ToArray();
        var visible = Enumerable.Range(0, frames).Select(t => Enumerable.Range(0, joints).Select(j => !(gridXy[0][j][t] < 0)).ToArray()).ToArray();
        return new KeypointPrediction(Scale(0, width), Scale(1, height), visible);
    }

    /// <summary>The prediction file of a clip in a results folder, or null when there is none.</summary>
    public static string? Find(string resultsDir, string clip) =>
        new[] { clip + ".json", clip + ".csv", Path.Combine(clip, "keypoints.json") }.Select(f => Path.Combine(resultsDir, f)).FirstOrDefault(File.Exists);

    public static KeypointPrediction Load(string path)
    {
        if (!File.Exists(path)) throw new BadInputException(path, "keypoint prediction file not found");
        if (Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return From(KeypointsFile.Load(path));
        }
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (!doc.RootElement.TryGetProperty("frames", out var frames) || frames.ValueKind != JsonValueKind.Array)
                throw new BadInputException(path, "keypoint predictions need a \"frames\" array");
            var x = new List<double[]>(); var y = new List<double[]>(); var v = new List<bool[]>();
            foreach (var f in frames.EnumerateArray())
            {
                if (f.TryGetProperty("frame", out var index) && index.GetInt32() != x.Count)
                    throw new BadInputException(path, $"frame {index.GetInt32()} listed where frame {x.Count} was expected (frames must be 0, 1, 2, ...)");
                var points = f.GetProperty("points").EnumerateArray().Select(p => p.EnumerateArray().Select(c => c.GetDouble()).ToArray()).ToArray();
                if (points.Any(p => p.Length is not (2 or 3))) throw new BadInputException(path, $"frame {x.Count}: each point must be [x, y] or [x, y, visible]");
                x.Add(points.Select(p => p[0]).ToArray());
                y.Add(points.Select(p => p[1]).ToArray());
                v.Add(points.Select(p => p.Length < 3 || p[2] > 0.5).ToArray());
            }
            return new KeypointPrediction([.. x], [.. y], [.. v]);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new BadInputException(path, $"not a keypoint predictions file ({ErrorText.FirstLine(e.Message)})", e);
        }
    }

    /// <summary>Write the JSON format above (full precision, JHMDB joint names when there are 15), atomically.</summary>
    public void Save(string path)
    {
        int joints = Frames == 0 ? 0 : X[0].Length;
        var names = Enumerable.Range(0, joints).Select(j => joints == JhmdbJoints.JointCount ? JhmdbJoints.JointNames[j] : $"joint{j + 1}");
        var sb = new StringBuilder("{\"joints\": [" + string.Join(", ", names.Select(n => $"\"{n}\"")) + "],\n\"frames\": [\n");
        for (int t = 0; t < Frames; t++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {{\"frame\": {t}, \"points\": [");
            sb.AppendJoin(", ", X[t].Select((xv, j) => string.Create(CultureInfo.InvariantCulture, $"[{xv:R}, {Y[t][j]:R}, {(Visible[t][j] ? 1 : 0)}]")));
            sb.Append(t + 1 < Frames ? "]},\n" : "]}\n");
        }
        sb.Append("]}\n");
        AtomicFile.WriteAllText(path, sb.ToString());
    }
}
