using System.Numerics;
using System.Runtime.InteropServices;

namespace ColorTrack.Color;

/// <summary>
/// k-means on 2-D points (the ab plane): greedy k-means++ seeding then Lloyd iterations, with the
/// points stored as two float arrays so the nearest-centre search runs on SIMD vectors.
/// Restarts are independent and run in parallel, one per core, with no synchronisation; when there
/// are fewer restarts than cores, each restart's nearest-centre search is split over the spare cores.
/// </summary>
internal static class KMeans2D
{
    public sealed record Result(float[] Centroids, double Inertia, long[] Sizes, int Iterations);

    /// <summary>Cluster points given as (a, b) interleaved; returns the best of the restarts.</summary>
    public static Result Fit(ReadOnlySpan<float> ab, KMeansOptions o)
    {
        int n = ab.Length / 2;
        if (n < o.K) throw new ArgumentException($"{n} samples cannot make {o.K} clusters");
        var xs = new float[n];
        var ys = new float[n];
        for (int i = 0; i < n; i++) { xs[i] = ab[2 * i]; ys[i] = ab[2 * i + 1]; }

        // scikit-learn's tolerance is relative to the data: tol x mean of the per-axis variances.
        double Variance(float[] v) { double m = v.Average(x => (double)x); return v.Sum(x => (x - m) * (x - m)) / v.Length; }
        double tol = o.Tolerance * 0.5 * (Variance(xs) + Variance(ys));

        var results = new Result[o.Restarts];
        int threads = Math.Max(1, o.Threads ?? Environment.ProcessorCount);
        int chunks = Math.Max(1, threads / o.Restarts); // cores left over for each restart
        Parallel.For(0, o.Restarts, new ParallelOptions { MaxDegreeOfParallelism = threads }, r =>
        {
            var rng = new Random(o.Seed + r);
            results[r] = Lloyd(xs, ys, SeedPlusPlus(xs, ys, o.K, rng), o.MaxIterations, tol, chunks);
        });
        // Ties go to the earliest restart, so the choice never depends on which thread finished first.
        return results.Aggregate((best, x) => x.Inertia < best.Inertia ? x : best);
    }

    /// <summary>
    /// Greedy k-means++ (as scikit-learn): each new centre is the best of 2 + ln k candidates drawn
    /// with probability proportional to the squared distance to the nearest centre so far.
    /// </summary>
    static float[] SeedPlusPlus(float[] xs, float[] ys, int k, Random rng)
    {
        int n = xs.Length, trials = 2 + (int)Math.Log(k);
        var c = new float[2 * k];
        int first = rng.Next(n);
        (c[0], c[1]) = (xs[first], ys[first]);
        var closest = new float[n];
        for (int i = 0; i < n; i++) closest[i] = Sq(xs[i] - c[0], ys[i] - c[1]);
        var cumulative = new double[n];
        var candidate = new float[n];
        var best = new float[n];
        for (int j = 1; j < k; j++)
        {
            double total = 0;
            for (int i = 0; i < n; i++) cumulative[i] = total += closest[i];
            double bestPotential = double.PositiveInfinity;
            int bestId = 0;
            for (int t = 0; t < trials; t++)
            {
                int id = Array.BinarySearch(cumulative, rng.NextDouble() * total);
                id = Math.Min(id < 0 ? ~id : id, n - 1);
                double potential = 0;
                for (int i = 0; i < n; i++)
                {
                    candidate[i] = Math.Min(closest[i], Sq(xs[i] - xs[id], ys[i] - ys[id]));
                    potential += candidate[i];
                }
                if (potential < bestPotential) { bestPotential = potential; bestId = id; (best, candidate) = (candidate, best); }
            }
            (c[2 * j], c[2 * j + 1]) = (xs[bestId], ys[bestId]);
            Array.Copy(best, closest, n);
        }
        return c;
    }

    /// <summary>Lloyd's algorithm: assign each point to its nearest centre, move centres to their means, repeat.</summary>
    static Result Lloyd(float[] xs, float[] ys, float[] centres, int maxIterations, double tol, int chunks)
    {
        int n = xs.Length, k = centres.Length / 2;
        var labels = new int[n];
        var dist = new float[n];
        var sums = new double[2 * k];
        var counts = new long[k];
        int iteration = 0;
        for (; iteration < maxIterations; iteration++)
        {
            Assign(xs, ys, centres, labels, dist, chunks);
            Array.Clear(sums); Array.Clear(counts);
            for (int i = 0; i < n; i++) { int l = labels[i]; sums[2 * l] += xs[i]; sums[2 * l + 1] += ys[i]; counts[l]++; }
            double shift = 0;
            for (int j = 0; j < k; j++)
            {
                float nx, ny;
                if (counts[j] > 0) { nx = (float)(sums[2 * j] / counts[j]); ny = (float)(sums[2 * j + 1] / counts[j]); }
                else
                {
                    // An empty cluster takes the point worst served by its centre (scikit-learn relocates likewise).
                    int far = 0;
                    for (int i = 1; i < n; i++) if (dist[i] > dist[far]) far = i;
                    (nx, ny) = (xs[far], ys[far]);
                    dist[far] = 0;
                }
                shift += Sq(nx - centres[2 * j], ny - centres[2 * j + 1]);
                (centres[2 * j], centres[2 * j + 1]) = (nx, ny);
            }
            if (shift <= tol) { iteration++; break; }
        }
        // Final assignment so labels, sizes and inertia belong to the returned centres.
        double inertia = Assign(xs, ys, centres, labels, dist, chunks);
        var sizes = new long[k];
        foreach (var l in labels) sizes[l]++;
        return new Result(centres, inertia, sizes, iteration);
    }

    /// <summary>
    /// Nearest centre of every point (SIMD over points, in <paramref name="chunks"/> parallel ranges);
    /// returns the inertia (sum of squared distances), summed in a fixed order.
    /// </summary>
    public static double Assign(float[] xs, float[] ys, float[] centres, int[] labels, float[] dist, int chunks = 1)
    {
        if (chunks <= 1) return AssignRange(xs, ys, centres, labels, dist, 0, xs.Length);
        int w = Vector<float>.Count, per = (xs.Length / chunks + w - 1) / w * w; // chunk borders on vector boundaries
        var partial = new double[chunks];
        Parallel.For(0, chunks, c =>
        {
            int start = Math.Min(xs.Length, c * per), end = c == chunks - 1 ? xs.Length : Math.Min(xs.Length, start + per);
            partial[c] = AssignRange(xs, ys, centres, labels, dist, start, end);
        });
        return partial.Sum();
    }

    static double AssignRange(float[] xs, float[] ys, float[] centres, int[] labels, float[] dist, int start, int end)
    {
        int n = end - start, k = centres.Length / 2, w = Vector<float>.Count;
        var vx = MemoryMarshal.Cast<float, Vector<float>>(xs.AsSpan(start, n));
        var vy = MemoryMarshal.Cast<float, Vector<float>>(ys.AsSpan(start, n));
        var vl = MemoryMarshal.Cast<int, Vector<int>>(labels.AsSpan(start, n));
        var vd = MemoryMarshal.Cast<float, Vector<float>>(dist.AsSpan(start, n));
        var cx = new Vector<float>[k];
        var cy = new Vector<float>[k];
        for (int j = 0; j < k; j++) { cx[j] = new Vector<float>(centres[2 * j]); cy[j] = new Vector<float>(centres[2 * j + 1]); }
        double inertia = 0;
        for (int i = 0; i < vx.Length; i++)
        {
            Vector<float> x = vx[i], y = vy[i];
            var best = new Vector<float>(float.PositiveInfinity);
            var arg = Vector<int>.Zero;
            for (int j = 0; j < k; j++)
            {
                var dx = x - cx[j];
                var dy = y - cy[j];
                var d = dx * dx + dy * dy;
                var closer = Vector.LessThan(d, best);
                best = Vector.Min(d, best);
                arg = Vector.ConditionalSelect(closer, new Vector<int>(j), arg);
            }
            vl[i] = arg;
            vd[i] = best;
            inertia += Vector.Sum(best);
        }
        for (int i = start + vx.Length * w; i < end; i++)
        {
            (labels[i], dist[i]) = Nearest(centres, xs[i], ys[i]);
            inertia += dist[i];
        }
        return inertia;
    }

    /// <summary>Index of the centre nearest to (a, b) and its squared distance.</summary>
    public static (int Index, float Distance) Nearest(ReadOnlySpan<float> centres, float a, float b)
    {
        int arg = 0;
        float best = float.PositiveInfinity;
        for (int j = 0; j < centres.Length / 2; j++)
        {
            float d = Sq(a - centres[2 * j], b - centres[2 * j + 1]);
            if (d < best) { best = d; arg = j; }
        }
        return (arg, best);
    }

    static float Sq(float dx, float dy) => dx * dx + dy * dy;
}
