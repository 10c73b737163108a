using System.Text.Json;
using System.Text.Json.Serialization;
using ColorTrack.Runtime;

namespace ColorTrack.Synthetic;

/// <summary>
/// Per-frame keypoints of the stick figure, in pixel coordinates (x right, y down, zero-based).
/// A joint is visible when it lies inside the frame and no object in front of the figure covers it.
/// </summary>
/// <param name="Joints">Joint names, in the order of JHMDB's 15 joints.</param>
/// <param name="X">X[t][j]: x of joint j in frame t.</param>
/// <param name="Y">Y[t][j]: y of joint j in frame t.</param>
/// <param name="Visible">Visible[t][j].</param>
/// <param name="ObjectId">The figure's id in the masks.</param>
public sealed record SyntheticKeypoints(
    string[] Joints,
    float[][] X,
    float[][] Y,
    bool[][] Visible,
    int ObjectId)
{
    /// <summary>JHMDB joint order.</summary>
    public static readonly string[] JointNames =
    {
        "neck", "belly", "face", "right_shoulder", "left_shoulder", "right_hip", "left_hip",
        "right_elbow", "left_elbow", "right_knee", "left_knee", "right_wrist", "left_wrist", "right_ankle", "left_ankle",
    };

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>
    /// JSON: {"joints": [...], "objectId": n, "frames": [{"frame": 0, "points": [[x, y, visible 0/1], ...]}, ...]}.
    /// </summary>
    public void Save(string path)
    {
        var frames = X.Select((xs, t) => new FrameJson(t, xs.Select((x, j) => new[] { x, Y[t][j], Visible[t][j] ? 1f : 0f }).ToArray())).ToArray();
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new FileJson(Joints, ObjectId, frames), Json));
    }

    /// <summary>Read what <see cref="Save"/> wrote.</summary>
    public static SyntheticKeypoints Load(string path)
    {
        FileJson? f;
        try { f = JsonSerializer.Deserialize<FileJson>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new BadInputException(path, $"not a keypoints JSON file ({ErrorText.FirstLine(e.Message)})"); }
        if (f?.Joints == null || f.Frames == null || f.Frames.Any(fr => fr.Points?.Length != f.Joints.Length || fr.Points.Any(p => p.Length != 3)))
            throw new BadInputException(path, "not a keypoints JSON file (needs joints and frames with one [x, y, visible] per joint)");
        return new SyntheticKeypoints(f.Joints,
            f.Frames.Select(fr => fr.Points.Select(p => p[0]).ToArray()).ToArray(),
            f.Frames.Select(fr => fr.Points.Select(p => p[1]).ToArray()).ToArray(),
            f.Frames.Select(fr => fr.Points.Select(p => p[2] > 0.5f).ToArray()).ToArray(),
            f.ObjectId);
    }

    sealed record FrameJson(int Frame, float[][] Points);

    sealed record FileJson(string[] Joints, int ObjectId, FrameJson[] Frames);
}
