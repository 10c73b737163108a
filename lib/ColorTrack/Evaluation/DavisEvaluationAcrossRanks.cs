using ColorTrack.Runtime;

namespace ColorTrack.Evaluation;

/// <summary>
/// One DAVIS evaluation from the parts that the ranks of an MPI job scored, each on its own sequences
/// (see <see cref="WorkShare"/>). Every rank gets the same whole: the per-object statistics in the
/// data set's sequence order, so the data-set figures are the very numbers one process computes
/// (the same doubles averaged in the same order). What travels is each object's statistics, not its
/// per-frame J and F: the combined objects carry the statistics and empty per-frame lists.
/// </summary>
public static class DavisEvaluationAcrossRanks
{
    const int Fields = 8; // object id, frame count, J mean/recall/decay, F mean/recall/decay

    /// <param name="mine">This rank's evaluation (its sequences only).</param>
    /// <param name="sequences">Every sequence of the job, in the data set's order (the same list on every rank).</param>
    /// <param name="world">The job; null: <paramref name="mine"/> is already the whole.</param>
    public static DavisEvaluation Combine(DavisEvaluation mine, IReadOnlyList<string> sequences, Mpi? world)
    {
        if (world is null) return mine;
        var index = sequences.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
        var bySequence = mine.Objects.GroupBy(o => o.Sequence).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var name in bySequence.Keys)
            if (!index.ContainsKey(name)) throw new ArgumentException($"sequence '{name}' is not in the job's list");

        // 1. Objects per sequence: each sequence is counted by the one rank that scored it, zero elsewhere.
        var counts = new double[sequences.Count];
        foreach (var (name, objects) in bySequence) counts[index[name]] = objects.Count;
        world.SumInPlace(counts, "objects per sequence");

        // 2. Each object's statistics at its place in the whole; adding the other ranks' zeros is exact.
        var offsets = new int[sequences.Count + 1];
        for (int s = 0; s < sequences.Count; s++) offsets[s + 1] = offsets[s] + (int)counts[s];
        var values = new double[offsets[^1] * Fields];
        foreach (var (name, objects) in bySequence)
            for (int k = 0; k < objects.Count; k++)
            {
                var (o, at) = (objects[k], (offsets[index[name]] + k) * Fields);
                double[] row = [o.ObjectId, o.FrameCount, o.JStats.Mean, o.JStats.Recall, o.JStats.Decay, o.FStats.Mean, o.FStats.Recall, o.FStats.Decay];
                row.CopyTo(values, at);
            }
        world.SumInPlace(values, "per-object statistics");

        var all = new List<DavisObjectResult>(offsets[^1]);
        for (int s = 0; s < sequences.Count; s++)
            for (int at = offsets[s] * Fields; at < offsets[s + 1] * Fields; at += Fields)
                all.Add(new DavisObjectResult(sequences[s], (int)values[at], (int)values[at + 1], [], [], [],
                    new MetricStatistics(values[at + 2], values[at + 3], values[at + 4]),
                    new MetricStatistics(values[at + 5], values[at + 6], values[at + 7])));
        return new DavisEvaluation(all);
    }
}
