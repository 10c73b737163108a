using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ColorTrack.Runtime;

namespace ColorTrack.Datasets;

/// <summary>
/// Users' keypoints: named joints and, per frame, one <see cref="Keypoint"/> per joint. Two formats:
/// <list type="bullet">
/// <item>JSON (also what `colortrack synth` and `colortrack track` write):
///   {"joints": ["neck", ...], "frames": [{"frame": 0, "points": [[x, y, visible 0/1], ...]}, ...]};</item>
/// <item>CSV with a header: <c>joint,x,y,visible</c> (one frame) or <c>frame,joint,x,y,visible</c>.</item>
/// </list>
/// and JHMDB's joint_positions.mat (every joint visible, JHMDB's skeleton).
/// Coordinates are zero-based pixels. Optional "edges" (pairs of joint indices) say how to draw a skeleton,
/// and an optional "objectId" which object of the masks the joints belong to (the synthetic stick figure).
/// The one keypoint codec of the workbench: users' files, `track`'s output and the synthetic truth.
/// </summary>
public sealed record KeypointsFile(string[] Joints, IReadOnlyList<Keypoint[]> Frames, int[][]? Edges = null, int? ObjectId = null)
{
    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    sealed record FrameJson(int Frame, float[][] Points);
    sealed record FileJson(string[] Joints, FrameJson[] Frames, int[][]? Edges, int? ObjectId);

    public static KeypointsFile Load(string path)
    {
        if (!File.Exists(path)) throw new BadInputException(path, "keypoints file not found");
        var file = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" => LoadJson(path),
            ".csv" => LoadCsv(path),
            ".mat" => FromJhmdb(JhmdbJoints.Load(path, Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? "clip")),
            var ext => throw new BadInputException(path, $"unknown keypoints format '{ext}' (use .json, .csv or JHMDB joint_positions.mat)"),
        };
        file.RequireFinite(path);
        return file;
    }

    /// <summary>
    /// Every coordinate is a finite number: a NaN or an infinity would be tracked through a whole video
    /// (or scored as a miss) before anything noticed, so it is refused when the file is read.
    /// </summary>
    public void RequireFinite(string path)
    {
        for (int t = 0; t < Frames.Count; t++)
            for (int j = 0; j < Frames[t].Length; j++)
                if (!float.IsFinite(Frames[t][j].X) || !float.IsFinite(Frames[t][j].Y))
                    throw new BadInputException(path, $"keypoint '{(j < Joints.Length ? Joints[j] : j.ToString(CultureInfo.InvariantCulture))}' of frame {t} has a coordinate that is not a finite number ({Frames[t][j].X.ToString(CultureInfo.InvariantCulture)}, {Frames[t][j].Y.ToString(CultureInfo.InvariantCulture)})");
    }

    /// <summary>JHMDB's puppet skeleton over <see cref="JhmdbJoints.JointNames"/>.</summary>
    public static readonly int[][] JhmdbEdges =
        [[0, 2], [0, 1], [0, 3], [0, 4], [3, 7], [4, 8], [7, 11], [8, 12], [1, 5], [1, 6], [5, 9], [6, 10], [9, 13], [10, 14]];

    public static KeypointsFile FromJhmdb(JhmdbJoints j) =>
        new(JhmdbJoints.JointNames,
            j.X.Select((xs, t) => xs.Select((x, k) => new Keypoint((float)x, (float)j.Y[t][k], true)).ToArray()).ToList(),
            JhmdbEdges);

    static KeypointsFile LoadJson(string path)
    {
        FileJson? f;
        try { f = JsonSerializer.Deserialize<FileJson>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new BadInputException(path, $"not a keypoints JSON file ({ErrorText.FirstLine(e.Message)})"); }
        if (f?.Joints is not { Length: > 0 } || f.Frames is not { Length: > 0 } || f.Frames.Any(fr => fr.Points?.Length != f.Joints.Length || fr.Points.Any(p => p?.Length != 3)))
            throw new BadInputException(path, "not a keypoints JSON file (needs \"joints\" and \"frames\" with one [x, y, visible] per joint)");
        var frames = f.Frames.OrderBy(fr => fr.Frame).Select(fr => fr.Points.Select(p => new Keypoint(p[0], p[1], p[2] > 0.5f)).ToArray()).ToList();
        return new KeypointsFile(f.Joints, frames, f.Edges, f.ObjectId);
    }

    static KeypointsFile LoadCsv(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count < 2) throw new BadInputException(path, "keypoints CSV needs a header and at least one row");
        var header = lines[0].Split(',').Select(h => h.Trim().ToLowerInvariant()).ToArray();
        int Col(string name) => Array.IndexOf(header, name);
        int cf = Col("frame"), cj = Col("joint"), cx = Col("x"), cy = Col("y"), cv = Col("visible");
        if (cj < 0 || cx < 0 || cy < 0) throw new BadInputException(path, "keypoints CSV header must have joint,x,y[,visible] (and optionally frame)");
        var joints = new List<string>();
        var byFrame = new SortedDictionary<int, Dictionary<string, Keypoint>>();
        for (int i = 1; i < lines.Count; i++)
        {
            var c = lines[i].Split(',').Select(s => s.Trim()).ToArray();
            try
            {
                int frame = cf >= 0 ? int.Parse(c[cf], CultureInfo.InvariantCulture) : 0;
                var kp = new Keypoint(float.Parse(c[cx], CultureInfo.InvariantCulture), float.Parse(c[cy], CultureInfo.InvariantCulture),
                    cv < 0 || c[cv] is "1" or "true" or "True" or "yes");
                if (!float.IsFinite(kp.X) || !float.IsFinite(kp.Y))
                    throw new BadInputException(path, $"line {i + 1}: x and y must be finite numbers (got {c[cx]}, {c[cy]})");
                if (!joints.Contains(c[cj])) joints.Add(c[cj]);
                if (!byFrame.TryGetValue(frame, out var d)) byFrame[frame] = d = [];
                d[c[cj]] = kp;
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException)
            {
                throw new BadInputException(path, $"line {i + 1}: expected {string.Join(",", header)}");
            }
        }
        var frames = byFrame.Values.Select(d => joints.Select(j => d.TryGetValue(j, out var k) ? k : new Keypoint(0, 0, false)).ToArray()).ToList();
        return new KeypointsFile(joints.ToArray(), frames);
    }

    /// <summary>Write as JSON, atomically.</summary>
    public void Save(string path)
    {
        var frames = Frames.Select((pts, t) => new FrameJson(t, pts.Select(p => new[] { p.X, p.Y, p.Visible ? 1f : 0f }).ToArray())).ToArray();
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new FileJson(Joints, frames, Edges, ObjectId), Json));
    }

    /// <summary>Throws when a visible keypoint of frame <paramref name="t"/> lies outside a width x height frame.</summary>
    public void CheckInside(int t, int width, int height, string path)
    {
        for (int j = 0; j < Joints.Length; j++)
        {
            var k = Frames[t][j];
            if (k.Visible && (k.X < 0 || k.Y < 0 || k.X > width - 1 || k.Y > height - 1))
                throw new BadInputException(path, $"keypoint '{Joints[j]}' of frame {t} at ({k.X.ToString(CultureInfo.InvariantCulture)}, {k.Y.ToString(CultureInfo.InvariantCulture)}) lies outside the {width}x{height} frame");
        }
    }
}
