namespace ColorTrack.Runtime;

/// <summary>
/// Splits independent pieces of work (the sequences of a data set) over the ranks of an MPI job so
/// that each rank does about the same amount: the costliest piece first, each onto the rank with the
/// least work so far (ties: the lower rank). Every rank computes the same split from the same list,
/// so no message is needed to agree on it; without MPI the one process owns everything.
/// </summary>
public static class WorkShare
{
    /// <summary>The rank that does each piece (same order as <paramref name="costs"/>).</summary>
    public static int[] Owners(IReadOnlyList<double> costs, int ranks)
    {
        if (ranks < 1) throw new ArgumentOutOfRangeException(nameof(ranks), ranks, "at least one rank");
        var owners = new int[costs.Count];
        var load = new double[ranks];
        // Longest processing time first: within 4/3 of the best split, and deterministic (a stable sort).
        foreach (var i in Enumerable.Range(0, costs.Count).OrderByDescending(i => costs[i]))
        {
            int least = 0;
            for (int r = 1; r < ranks; r++)
                if (load[r] < load[least]) least = r;
            owners[i] = least;
            load[least] += costs[i];
        }
        return owners;
    }

    /// <summary>This rank's pieces, in their original order (all of them without MPI).</summary>
    public static List<T> Mine<T>(IReadOnlyList<T> items, Func<T, double> cost, Mpi? world)
    {
        if (world is null) return [.. items];
        var owners = Owners(items.Select(cost).ToArray(), world.Size);
        return items.Where((_, i) => owners[i] == world.Rank).ToList();
    }
}
