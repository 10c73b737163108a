namespace ColorTrack.Datasets;

/// <summary>
/// The 15 puppet joints of one JHMDB clip, from its joint_positions.mat (<c>pos_img</c>, 2 x 15 x T,
/// one-based pixel coordinates; row 0 = x, row 1 = y). Stored here zero-based (pos_img - 1), the
/// convention of the standard PCK evaluation: X[t][j], Y[t][j].
/// </summary>
public sealed record JhmdbJoints(string Clip, double[][] X, double[][] Y)
{
    public const int JointCount = 15;

    /// <summary>The joints in pos_img order.</summary>
    public static readonly string[] JointNames =
    [
        "neck", "belly", "face", "right_shoulder", "left_shoulder", "right_hip", "left_hip",
        "right_elbow", "left_elbow", "right_knee", "left_knee", "right_wrist", "left_wrist", "right_ankle", "left_ankle",
    ];

    public int Frames => X.Length;

    /// <summary>
    /// A clip's true joints: JHMDB's joint_positions.mat, or a keypoints JSON file (<see cref="KeypointsFile"/>,
    /// zero-based pixels; what `colortrack synth` writes as Keypoints/&lt;seq&gt;.json) with 15 joints per frame.
    /// </summary>
    public static JhmdbJoints Load(string matPath, string clip)
    {
        if (Path.GetExtension(matPath).Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            var k = KeypointsFile.Load(matPath);
            if (k.Frames.Any(f => f.Length != JointCount)) throw new BadInputException(matPath, $"keypoint truth needs {JointCount} joints per frame (JHMDB's order)");
            return From(k, clip);
        }
        var vars = MatFile.Read(matPath);
        if (!vars.TryGetValue("pos_img", out var pos)) throw new BadInputException(matPath, "no numeric variable 'pos_img'");
        if (pos.Dims.Length < 2 || pos.Dims[0] != 2 || pos.Dims[1] != JointCount)
            throw new BadInputException(matPath, $"pos_img is {string.Join('x', pos.Dims)}, expected 2 x 15 x T");
        int t = pos.Dims.Length > 2 ? pos.Dims[2] : 1;
        return new JhmdbJoints(clip,
            Enumerable.Range(0, t).Select(f => Enumerable.Range(0, JointCount).Select(j => pos.Data[2 * (j + JointCount * f)] - 1).ToArray()).ToArray(),
            Enumerable.Range(0, t).Select(f => Enumerable.Range(0, JointCount).Select(j => pos.Data[1 + 2 * (j + JointCount * f)] - 1).ToArray()).ToArray());
    }

    /// <summary>Keypoints (15 per frame, JHMDB's order) as the truth PCK scores against: their first <paramref name="frames"/> frames.</summary>
    public static JhmdbJoints From(KeypointsFile k, string clip, int frames = int.MaxValue) => new(clip,
        k.Frames.Take(frames).Select(f => f.Select(p => (double)p.X).ToArray()).ToArray(),
        k.Frames.Take(frames).Select(f => f.Select(p => (double)p.Y).ToArray()).ToArray());

    /// <summary>
    /// The clips under a JHMDB root, by name: every joint_positions.mat found below it, and every
    /// Keypoints/&lt;seq&gt;.json of a DAVIS-layout root. The clip is the
    /// folder holding the file (official layout joint_positions/&lt;class&gt;/&lt;clip&gt;/); a file directly in
    /// the root (the shared sample) belongs to the root's only subfolder of frames, else to the root's name.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FindClips(string root)
    {
        if (!Directory.Exists(root)) throw new BadInputException(root, "JHMDB root folder not found");
        var clips = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var mat in Directory.EnumerateFiles(root, "joint_positions.mat", SearchOption.AllDirectories))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(mat))!;
            string name;
            if (Path.GetFullPath(folder) == Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar))
            {
                var frameFolders = Directory.GetDirectories(folder).Where(d => Directory.EnumerateFiles(d, "*.png").Any()).ToList();
                name = frameFolders.Count == 1 ? Path.GetFileName(frameFolders[0]) : Path.GetFileName(folder);
            }
            else name = Path.GetFileName(folder);
            if (!clips.TryAdd(name, mat)) throw new BadInputException(mat, $"a second joint_positions.mat for clip '{name}' (also {clips[name]})");
        }
        // A DAVIS-layout root with keypoint truth beside its masks (colortrack synth): Keypoints/<seq>.json.
        var keypoints = Path.Combine(root, "Keypoints");
        if (Directory.Exists(keypoints))
            foreach (var json in Directory.EnumerateFiles(keypoints, "*.json").Order(StringComparer.Ordinal))
                if (!clips.TryAdd(Path.GetFileNameWithoutExtension(json), json))
                    throw new BadInputException(json, $"a second truth for clip '{Path.GetFileNameWithoutExtension(json)}' (also {clips[Path.GetFileNameWithoutExtension(json)]})");
        if (clips.Count == 0) throw new BadInputException(root, "no joint_positions.mat (or Keypoints/<seq>.json) below this folder");
        return clips;
    }
}
