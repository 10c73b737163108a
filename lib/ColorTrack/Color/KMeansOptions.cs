namespace ColorTrack.Color;

/// <summary>
/// Settings of the k-means colour clustering. Defaults follow the paper (16 clusters) and
/// scikit-learn's KMeans (k-means++ seeding, 10 restarts, 300 Lloyd iterations, tol 1e-4).
/// </summary>
/// <param name="K">Number of colour bins (the paper: 16).</param>
/// <param name="Restarts">Independent seedings; the one with the lowest inertia is kept.</param>
/// <param name="MaxIterations">Lloyd iterations per restart at most.</param>
/// <param name="Tolerance">Stop when the squared centre shift is below Tolerance x the data's mean per-axis variance (scikit-learn's rule).</param>
/// <param name="Seed">Seeds every restart (restart r uses Seed + r), so the result does not depend on thread timing.</param>
/// <param name="Threads">Restarts run in parallel on this many cores (null = all).</param>
public sealed record KMeansOptions(
    int K = 16,
    int Restarts = 10,
    int MaxIterations = 300,
    double Tolerance = 1e-4,
    int Seed = 0,
    int? Threads = null)
{
    /// <summary>The paper's quantization: 16 bins.</summary>
    public static readonly KMeansOptions Paper = new();
}
