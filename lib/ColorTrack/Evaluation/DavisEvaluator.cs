using ColorTrack.Datasets;
using ColorTrack.Imaging;

namespace ColorTrack.Evaluation;

/// <summary>
/// Scores predicted masks against DAVIS ground truth with the semi-supervised protocol of the
/// official davis2017-evaluation code: objects are ids 1..N with N the largest id in the first
/// ground-truth frame (255 = void counts as background there, as officially); an id missing from a
/// prediction frame is an empty mask; a prediction holding an id above N is refused, as the official
/// code refuses it ("an index higher than the number of objects"); the first and last frame are not scored. Frames are scored in parallel (each work item reads its two PNGs).
/// </summary>
public static class DavisEvaluator
{
    /// <summary>Score the PNGs under <c>results/&lt;seq&gt;/&lt;frame&gt;.png</c>. Missing sequences are one error naming them all.</summary>
    public static DavisEvaluation Evaluate(IReadOnlyList<DavisSequence> truth, string resultsDir,
        Action<int, int>? progress = null, int? threads = null)
    {
        if (!Directory.Exists(resultsDir)) throw new BadInputException(resultsDir, "results folder not found");
        var missing = truth.Where(s => !Directory.Exists(Path.Combine(resultsDir, s.Name))).Select(s => s.Name).ToList();
        if (missing.Count > 0)
            throw new BadInputException(resultsDir, $"no results for {missing.Count} of {truth.Count} sequences: {string.Join(", ", missing)}");
        return Evaluate(truth, (seq, frame) => ReadReusing(Path.Combine(resultsDir, seq.Name, frame + ".png"), ref predictionBuffer),
            (seq, frame) => Path.Combine(resultsDir, seq.Name, frame + ".png"), progress, threads);
    }

    /// <summary>Score predictions from any source (e.g. masks in memory).</summary>
    public static DavisEvaluation Evaluate(IReadOnlyList<DavisSequence> truth, Func<DavisSequence, string, IndexedMask> prediction,
        Func<DavisSequence, string, string>? describe = null, Action<int, int>? progress = null, int? threads = null)
    {
        describe ??= (s, f) => $"{s.Name}/{f}";
        // The object count of each sequence comes from its first ground-truth frame.
        var firsts = truth.Select(s => MaskPng.Read(s.MaskPath(s.Frames[0]))).ToArray();
        var objects = firsts.Select(FirstFrameObjects).ToArray();
        var work = truth.SelectMany((s, si) => s.ScoredFrames.Select((f, fi) => (Seq: si, Frame: fi))).ToArray();
        var j = truth.Select((s, si) => Enumerable.Range(0, objects[si]).Select(_ => new double[s.ScoredFrames.Count]).ToArray()).ToArray();
        var fm = truth.Select((s, si) => Enumerable.Range(0, objects[si]).Select(_ => new double[s.ScoredFrames.Count]).ToArray()).ToArray();
        var scored = truth.Select(s => s.ScoredFrames).ToArray();

        int done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount };
        try
        {
            Parallel.For(0, work.Length, options, w => ScoreOne(w));
        }
        catch (AggregateException e)
        {
            // Report the bad input itself (the first, if several workers hit one), not the wrapper.
            var inner = e.Flatten().InnerExceptions;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner.FirstOrDefault(x => x is BadInputException) ?? inner[0]);
        }

        void ScoreOne(int w)
        {
            var (si, fi) = work[w];
            var seq = truth[si];
            var frame = scored[si][fi];
            var gt = ReadReusing(seq.MaskPath(frame), ref truthBuffer);
            if (gt.Width != firsts[si].Width || gt.Height != firsts[si].Height)
                throw new BadInputException(seq.MaskPath(frame), $"ground truth is {gt.Width}x{gt.Height} but the sequence's first frame is {firsts[si].Width}x{firsts[si].Height}");
            var pred = prediction(seq, frame);
            if (pred.Width != gt.Width || pred.Height != gt.Height)
                throw new BadInputException(describe(seq, frame), $"prediction is {pred.Width}x{pred.Height} but the ground truth {seq.MaskPath(frame)} is {gt.Width}x{gt.Height}");
            if (MaxId(pred) is var top && top > objects[si])
                throw new BadInputException(describe(seq, frame), $"holds object id {top} but the ground truth has {objects[si]} object(s) (ids 1..{objects[si]}); the official evaluator refuses such a file");
            var (jv, fv) = DavisMetrics.ScoreFrame(VoidAsBackground(gt), pred, objects[si]);
            for (int k = 0; k < objects[si]; k++) { j[si][k][fi] = jv[k]; fm[si][k][fi] = fv[k]; }
            progress?.Invoke(Interlocked.Increment(ref done), work.Length);
        }

        var results = new List<DavisObjectResult>();
        for (int si = 0; si < truth.Count; si++)
            for (int k = 0; k < objects[si]; k++)
                results.Add(DavisObjectResult.Create(truth[si].Name, k + 1, truth[si].Frames.Count, scored[si], j[si][k], fm[si][k]));
        return new DavisEvaluation(results);
    }

    // Each worker thread keeps one ground-truth and one prediction buffer: masks are scored and
    // dropped, so decoding into the last one spares a large (LOH) allocation per PNG.
    [ThreadStatic] static byte[]? truthBuffer, predictionBuffer;

    static IndexedMask ReadReusing(string path, ref byte[]? buffer)
    {
        var mask = MaskPng.Read(path, buffer);
        buffer = mask.Ids; // the same size decodes in place next time
        return mask;
    }

    static int MaxId(IndexedMask m)
    {
        int max = 0;
        foreach (var id in m.Ids) if (id > max) max = id;
        return max;
    }

    /// <summary>N = the largest object id in the first frame, void (255) not counted.</summary>
    public static int FirstFrameObjects(IndexedMask first)
    {
        int max = 0;
        foreach (var id in first.Ids) if (id != 255 && id > max) max = id;
        return max;
    }

    static IndexedMask VoidAsBackground(IndexedMask gt)
    {
        if (Array.IndexOf(gt.Ids, (byte)255) < 0) return gt;
        var ids = (byte[])gt.Ids.Clone();
        for (int i = 0; i < ids.Length; i++) if (ids[i] == 255) ids[i] = 0;
        return gt with { Ids = ids };
    }
}
