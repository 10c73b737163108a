using System.Globalization;
using OpenCvSharp;
using SixLabors.ImageSharp;

namespace ColorTrack.Datasets.Manifests;

/// <summary>
/// Checks a local copy of a data set against its manifest, cheaply (names, counts, contiguous frame
/// numbering, one image header per sequence, a decode sample of videos), and reports every problem
/// as one line naming the path. A copy with only some sequences is usable: missing ones are
/// reported as warnings, and <see cref="ValidationReport.Usable"/> lists the complete ones.
/// </summary>
public static class ManifestValidator
{
    public static ValidationReport Validate(DatasetManifest manifest, string root, string? set = null)
    {
        var report = new ValidationReport(root, manifest);
        if (!Directory.Exists(root)) { report.Error(root, "data-set root not found"); return report; }
        switch (manifest.Kind)
        {
            case "davis": ValidateDavis(manifest, root, set ?? manifest.Sets.Keys.Last(), report); break;
            case "jhmdb": ValidateJhmdb(manifest, root, report); break;
            case "kinetics": ValidateKinetics(manifest, root, set ?? "train", report); break;
        }
        return report;
    }

    static void ValidateDavis(DatasetManifest m, string root, string set, ValidationReport r)
    {
        var L = m.Layout;
        foreach (var meta in L.Metadata)
            if (!File.Exists(Path.Combine(root, meta))) r.Warn(Path.Combine(root, meta), "metadata file missing (attribute breakdowns need it)");
        if (!m.Sets.TryGetValue(set, out var spec)) { r.Error(root, $"the manifest has no set '{set}' (sets: {string.Join(", ", m.Sets.Keys)})"); return; }
        if (!L.ImageSets.TryGetValue(set, out var listRel)) { r.Error(root, $"the manifest names no image-set list for '{set}'"); return; }
        var list = Path.Combine(root, listRel);
        if (!File.Exists(list)) { r.Error(list, $"image-set list missing: a DAVIS root needs {listRel}"); return; }

        // Sequences in the list, in order, with the frames it names (pairs format) or just names.
        var listed = new List<string>();
        var seen = new HashSet<string>();
        foreach (var line in File.ReadLines(list))
        {
            var t = line.Trim();
            if (t.Length == 0) continue;
            var seq = L.ImageSetFormat == "pairs" ? t.Split(' ')[0].Split('/', StringSplitOptions.RemoveEmptyEntries)[^2] : t;
            if (seen.Add(seq)) listed.Add(seq);
        }
        if (spec.Sequences != null)
            foreach (var s in spec.Sequences.Keys.Except(listed))
                r.Error(list, $"does not list sequence '{s}' of the {set} set");
        if (spec.SequenceCount is int sc && listed.Count != sc)
            r.Error(list, $"lists {listed.Count} sequences; the {set} set has {sc}");

        int present = 0, frames = 0;
        foreach (var seq in listed)
        {
            var firstFrame = PathPattern.Expand(L.Frames!, Values(seq, L.FirstIndex));
            var dir = Path.GetDirectoryName(Path.Combine(root, firstFrame))!;
            if (!Directory.Exists(dir)) continue;
            present++;
            var n = CheckContiguous(dir, Path.GetExtension(firstFrame), L.FirstIndex, r);
            if (n < 0) continue;
            frames += n;
            int? expected = spec.Sequences != null && spec.Sequences.TryGetValue(seq, out var e) ? e : null;
            if (expected is int want && n != want) { r.Error(dir, $"{n} frames; {m.Name} has {want}"); continue; }
            bool complete = true;
            int annotated = L.AnnotationsEveryFrame ? n : 1;
            for (int i = 0; i < annotated && L.Annotations != null; i++)
            {
                var a = Path.Combine(root, PathPattern.Expand(L.Annotations, Values(seq, L.FirstIndex + i)));
                if (!File.Exists(a)) { r.Error(a, "annotation missing"); complete = false; break; }
            }
            if (m.ResolutionHeight is int h)
            {
                var size = Image.Identify(Path.Combine(root, firstFrame));
                if (size == null) { r.Error(Path.Combine(root, firstFrame), "not a readable image"); complete = false; }
                else if (size.Height != h) { r.Error(Path.Combine(root, firstFrame), $"{size.Width}x{size.Height}; this layout is {h}p"); complete = false; }
            }
            if (complete) r.Usable.Add(seq);
        }
        if (present == 0) r.Error(Path.Combine(root, L.Frames!.Split('{')[0]), $"none of the {listed.Count} sequences of the {set} set is present");
        else if (present < listed.Count) r.Warn(root, $"{present} of {listed.Count} {set} sequences present (a partial copy: only those are used)");
        r.Counts.Add(($"{set} sequences", (spec.SequenceCount ?? listed.Count).ToString(CultureInfo.InvariantCulture), present.ToString(CultureInfo.InvariantCulture)));
        r.Counts.Add(($"{set} frames (present sequences)", spec.FrameCount?.ToString(CultureInfo.InvariantCulture) ?? "?", frames.ToString(CultureInfo.InvariantCulture)));
    }

    static void ValidateJhmdb(DatasetManifest m, string root, ValidationReport r)
    {
        var L = m.Layout;
        int clips = 0, frames = 0;
        foreach (var cls in m.Classes ?? [])
        {
            // Frames pattern is <...>/{class}/{clip}/{index}.png: the class folder is two levels above a frame.
            var classDir = Path.GetDirectoryName(Path.GetDirectoryName(Path.Combine(root, PathPattern.Expand(L.Frames!, new Dictionary<string, object> { ["class"] = cls, ["clip"] = "x", ["index"] = 0 }))))!;
            if (!Directory.Exists(classDir)) { r.Warn(classDir, "class folder missing"); continue; }
            foreach (var clipDir in Directory.GetDirectories(classDir).Order())
            {
                var clip = Path.GetFileName(clipDir);
                var n = CheckContiguous(clipDir, Path.GetExtension(L.Frames!), L.FirstIndex, r);
                if (n < 0) continue;
                var joints = Path.Combine(root, PathPattern.Expand(L.Joints!, new Dictionary<string, object> { ["class"] = cls, ["clip"] = clip }));
                if (!File.Exists(joints)) { r.Error(joints, "joint positions missing"); continue; }
                clips++; frames += n;
                r.Usable.Add($"{cls}/{clip}");
            }
        }
        if (clips == 0) r.Error(root, "no JHMDB clip found (expected " + L.Frames + ")");
        else if (m.ClipCount is int want && clips < want) r.Warn(root, $"{clips} of {want} clips present");
        r.Counts.Add(("clips", m.ClipCount?.ToString(CultureInfo.InvariantCulture) ?? "?", clips.ToString(CultureInfo.InvariantCulture)));
        r.Counts.Add(("frames", m.FrameCount?.ToString(CultureInfo.InvariantCulture) ?? "?", frames.ToString(CultureInfo.InvariantCulture)));
    }

    static void ValidateKinetics(DatasetManifest m, string root, string split, ValidationReport r)
    {
        var L = m.Layout;
        if (!L.Lists.TryGetValue(split, out var listRel)) { r.Error(root, $"the manifest has no list for split '{split}'"); return; }
        var list = Path.Combine(root, listRel);
        if (!File.Exists(list)) { r.Error(list, "video list missing"); return; }
        using var reader = new StreamReader(list);
        var header = reader.ReadLine()?.Trim();
        if (header != L.ListHeader) { r.Error(list, $"header is '{header}', expected '{L.ListHeader}'"); return; }
        int rows = 0, presentCount = 0, lineNo = 1;
        var present = new List<string>();
        var labels = new HashSet<string>();
        for (string? line; (line = reader.ReadLine()) != null;)
        {
            lineNo++;
            var f = line.Split(',');
            if (f.Length < 4 || !int.TryParse(f[2], out var t0) || !int.TryParse(f[3], out var t1)) { r.Error(list, $"line {lineNo} is not label,youtube_id,time_start,time_end,..."); return; }
            rows++;
            labels.Add(f[0].Trim('"'));
            var video = Path.Combine(root, PathPattern.Expand(L.Videos!, new Dictionary<string, object>
                { ["split"] = split, ["label"] = f[0].Trim('"'), ["youtube_id"] = f[1], ["time_start"] = t0, ["time_end"] = t1 }));
            if (File.Exists(video)) { presentCount++; if (present.Count < 100_000) present.Add(video); }
        }
        int? expected = m.Sets.TryGetValue(split, out var s) ? s.VideoCount : null;
        if (expected is int e && rows != e) r.Warn(list, $"lists {rows} videos; the {split} split has {e}");
        double missing = rows == 0 ? 1 : 1 - (double)presentCount / rows;
        if (missing > m.MaxMissingFraction) r.Error(root, $"{rows - presentCount} of {rows} listed {split} videos are missing ({missing:P0}; at most {m.MaxMissingFraction:P0} allowed)");
        else if (missing > 0) r.Warn(root, $"{rows - presentCount} of {rows} listed videos missing ({missing:P1})");
        // Decode one frame of a deterministic sample of the present videos.
        var rng = new Random(0);
        foreach (var v in present.OrderBy(_ => rng.Next()).Take(m.DecodeSample))
        {
            using var cap = new VideoCapture(v);
            using var frame = new Mat();
            if (!cap.IsOpened() || !cap.Read(frame) || frame.Empty()) r.Error(v, "cannot be decoded");
        }
        r.Usable.AddRange(present);
        r.Counts.Add(($"{split} videos listed", expected?.ToString(CultureInfo.InvariantCulture) ?? "?", rows.ToString(CultureInfo.InvariantCulture)));
        r.Counts.Add(($"{split} videos present", rows.ToString(CultureInfo.InvariantCulture), presentCount.ToString(CultureInfo.InvariantCulture)));
        r.Counts.Add(("classes", m.ClassCount?.ToString(CultureInfo.InvariantCulture) ?? "?", labels.Count.ToString(CultureInfo.InvariantCulture)));
    }

    static Dictionary<string, object> Values(string sequence, int index) => new() { ["sequence"] = sequence, ["index"] = index };

    /// <summary>Frame files in a folder must be numbered first..first+n-1 with no gap; returns n, or -1 after reporting.</summary>
    static int CheckContiguous(string dir, string extension, int first, ValidationReport r)
    {
        var numbers = new List<int>();
        foreach (var f in Directory.EnumerateFiles(dir, "*" + extension))
            if (int.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.None, CultureInfo.InvariantCulture, out var k)) numbers.Add(k);
        if (numbers.Count == 0) { r.Error(dir, $"no {extension} frames"); return -1; }
        numbers.Sort();
        for (int i = 0; i < numbers.Count; i++)
            if (numbers[i] != first + i)
            {
                r.Error(Path.Combine(dir, (first + i).ToString("D5", CultureInfo.InvariantCulture) + extension), $"frame missing: numbering has a gap (next present is {numbers[i]:D5})");
                return -1;
            }
        return numbers.Count;
    }
}
