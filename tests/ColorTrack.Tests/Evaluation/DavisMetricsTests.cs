using ColorTrack.Evaluation;
using ColorTrack.Imaging;

namespace ColorTrack.Tests.Evaluation;

public class DavisMetricsTests
{
    static byte[] Grid(params string[] rows) => rows.SelectMany(r => r.Select(c => (byte)(c - '0'))).ToArray();

    [Fact]
    public void Boundary_IsSeg2bmap_PixelsDifferingFromRightBottomOrBottomRight()
    {
        var square = Grid("0000", "0110", "0110", "0000");
        Assert.Equal([0, 1, 2, 4, 6, 8, 9, 10], DavisMetrics.Boundary(square, 4, 4));
    }

    [Fact]
    public void Boundary_LastRowComparesRightOnly_LastColumnDownOnly_CornerNever()
    {
        var rightColumn = Grid("0001", "0001", "0001", "0001");
        Assert.Equal([2, 6, 10, 14], DavisMetrics.Boundary(rightColumn, 4, 4));
        var bottomRow = Grid("0000", "0000", "0000", "1111");
        Assert.Equal([8, 9, 10, 11], DavisMetrics.Boundary(bottomRow, 4, 4)); // row 2 differs from below; row 3 itself is uniform
        var corner = Grid("0000", "0000", "0000", "0001");
        Assert.Equal([10, 11, 14], DavisMetrics.Boundary(corner, 4, 4));
    }

    [Fact]
    public void BoundaryRadius_IsCeilOf0008TimesTheDiagonal()
    {
        Assert.Equal(8, DavisMetrics.BoundaryRadius(854, 480));
        Assert.Equal(9, DavisMetrics.BoundaryRadius(910, 480));
    }

    [Fact]
    public void DiskHalfWidths_AreSkimageDiskRows()
    {
        // skimage.morphology.disk(8): row dy spans |dx| <= floor(sqrt(64 - dy^2)).
        Assert.Equal([8, 7, 7, 7, 6, 6, 5, 3, 0], DavisMetrics.DiskHalfWidths(8));
    }

    [Fact]
    public void BoundaryF_MatchesWithinTheDiskOnly()
    {
        // A vertical edge at x = 9 (truth) against one shifted right by s columns, radius 2.
        byte[] Edge(int x0) { var m = new byte[20 * 20]; for (int y = 0; y < 20; y++) for (int x = x0; x < 20; x++) m[y * 20 + x] = 1; return m; }
        Assert.Equal(1.0, DavisMetrics.BoundaryF(Edge(10), Edge(12), 20, 20, radius: 2), 12);
        Assert.Equal(0.0, DavisMetrics.BoundaryF(Edge(10), Edge(13), 20, 20, radius: 2), 12);
    }

    [Fact]
    public void BoundaryF_EmptyBoundaryConventions()
    {
        var empty = new byte[16];
        var square = Grid("0000", "0110", "0110", "0000");
        Assert.Equal(1.0, DavisMetrics.BoundaryF(empty, empty, 4, 4));   // P = R = 1
        Assert.Equal(0.0, DavisMetrics.BoundaryF(square, empty, 4, 4));  // none predicted: P = 1, R = 0
        Assert.Equal(0.0, DavisMetrics.BoundaryF(empty, square, 4, 4));  // none true: P = 0, R = 1
        Assert.Equal(1.0, DavisMetrics.BoundaryF(square, square, 4, 4));
    }

    [Fact]
    public void RegionSimilarity_IsIntersectionOverUnion_AndOneWhenBothEmpty()
    {
        Assert.Equal(1.0, DavisMetrics.RegionSimilarity(new byte[4], new byte[4]));
        Assert.Equal(1.0 / 3, DavisMetrics.RegionSimilarity([1, 1, 0, 0], [0, 1, 1, 0]), 12);
    }

    [Fact]
    public void ScoreFrame_IdMissingFromPrediction_IsAnEmptyMask_AndExtraIdsBelongToNoObject()
    {
        var truth = new IndexedMask(4, 4, Grid("1100", "1100", "0022", "0022"));
        var pred = new IndexedMask(4, 4, Grid("1100", "1100", "0033", "0033"));
        var (j, f) = DavisMetrics.ScoreFrame(truth, pred, objects: 2);
        Assert.Equal([1.0, 0.0], j);
        Assert.Equal(1.0, f[0]);
        Assert.Equal(0.0, f[1]);
    }

    [Fact]
    public void ScoreFrame_ObjectAbsentFromBoth_ScoresOne()
    {
        var truth = new IndexedMask(3, 1, [1, 0, 0]);
        var (j, f) = DavisMetrics.ScoreFrame(truth, truth, objects: 2);
        Assert.Equal([1.0, 1.0], j);
        Assert.Equal([1.0, 1.0], f);
    }

    [Fact]
    public void ScoreFrame_AgreesWithTheBinaryMaskFunctionsOnRandomBlobs()
    {
        var rng = new Random(7);
        for (int trial = 0; trial < 20; trial++)
        {
            int w = 40 + rng.Next(30), h = 30 + rng.Next(20);
            byte[] Blobs() { var m = new byte[w * h]; for (int b = 0; b < 4; b++) { int cx = rng.Next(w), cy = rng.Next(h), r = 2 + rng.Next(8); byte id = (byte)(1 + rng.Next(3)); for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) m[y * w + x] = id; } return m; }
            var g = Blobs(); var p = Blobs();
            var (j, f) = DavisMetrics.ScoreFrame(new IndexedMask(w, h, g), new IndexedMask(w, h, p), 3);
            for (int k = 1; k <= 3; k++)
            {
                var gk = g.Select(v => v == k ? (byte)1 : (byte)0).ToArray();
                var pk = p.Select(v => v == k ? (byte)1 : (byte)0).ToArray();
                Assert.Equal(DavisMetrics.RegionSimilarity(gk, pk), j[k - 1], 12);
                Assert.Equal(DavisMetrics.BoundaryF(gk, pk, w, h), f[k - 1], 12);
                Assert.Equal(BruteForceF(gk, pk, w, h, DavisMetrics.BoundaryRadius(w, h)), f[k - 1], 12);
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(8)]
    public void BoundaryF_EqualsDilatingWithTheDisk_AtLargerRadii(int radius)
    {
        var rng = new Random(radius);
        int w = 90, h = 70;
        for (int trial = 0; trial < 6; trial++)
        {
            byte[] Blobs()
            {
                var m = new byte[w * h];
                for (int b = 0; b < 3; b++)
                {
                    int cx = rng.Next(w), cy = rng.Next(h), rx = 3 + rng.Next(15), ry = 3 + rng.Next(15);
                    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++)
                        if ((x - cx) * (x - cx) * ry * ry + (y - cy) * (y - cy) * rx * rx <= rx * rx * ry * ry) m[y * w + x] = 1;
                }
                return m;
            }
            var g = Blobs(); var p = Blobs();
            Assert.Equal(BruteForceF(g, p, w, h, radius), DavisMetrics.BoundaryF(g, p, w, h, radius), 12);
        }
    }

    /// <summary>F the way the official code computes it: dilate each boundary image with the disk, count overlaps.</summary>
    static double BruteForceF(byte[] gt, byte[] fg, int w, int h, int r)
    {
        bool[] B(byte[] m) { var b = new bool[w * h]; foreach (var i in DavisMetrics.Boundary(m, w, h)) b[i] = true; return b; }
        bool[] Dilate(bool[] b)
        {
            var d = new bool[w * h];
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++)
                for (int dy = -r; dy <= r; dy++) for (int dx = -r; dx <= r; dx++)
                    if (dx * dx + dy * dy <= r * r && x + dx >= 0 && x + dx < w && y + dy >= 0 && y + dy < h && b[(y + dy) * w + x + dx]) d[y * w + x] = true;
            return d;
        }
        var gb = B(gt); var fb = B(fg); var gd = Dilate(gb); var fd = Dilate(fb);
        int nFg = fb.Count(v => v), nGt = gb.Count(v => v);
        double p, rc;
        if (nFg == 0 && nGt > 0) (p, rc) = (1, 0);
        else if (nFg > 0 && nGt == 0) (p, rc) = (0, 1);
        else if (nFg == 0 && nGt == 0) (p, rc) = (1, 1);
        else { p = Enumerable.Range(0, w * h).Count(i => fb[i] && gd[i]) / (double)nFg; rc = Enumerable.Range(0, w * h).Count(i => gb[i] && fd[i]) / (double)nGt; }
        return p + rc == 0 ? 0 : 2 * p * rc / (p + rc);
    }

    [Fact]
    public void Statistics_UseTheOfficialOverlappingDecayBins()
    {
        // n = 8: round(linspace(1, 8, 5) + 1e-10) - 1 = [0, 2, 4, 5, 7]; bins [0..2] and [5..7].
        Assert.Equal([0, 2, 4, 5, 7], MetricStatistics.DecayBinEdges(8));
        var s = MetricStatistics.Of([0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9]);
        Assert.Equal(0.5, s.Mean, 12);
        Assert.Equal(0.5, s.Recall, 12);
        Assert.Equal(0.2 - 0.8, s.Decay, 12);
    }
}
