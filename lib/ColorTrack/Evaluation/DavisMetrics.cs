using System.Runtime.CompilerServices;
using System.Buffers;
using System.Numerics;
using ColorTrack.Imaging;

namespace ColorTrack.Evaluation;

/// <summary>
/// The per-frame DAVIS measures, computed exactly as the official davis2017-evaluation code
/// (<c>db_eval_iou</c>, <c>db_eval_boundary</c> / <c>f_measure</c> / <c>_seg2bmap</c>) computes them,
/// but without materialising the dilated images.
/// <para>J = |S∩G| / |S∪G|, and 1 when the union is empty.</para>
/// <para>F: each mask's 1-pixel boundary (seg2bmap: a pixel differs from its right, bottom or
/// bottom-right neighbour; the last row compares only to the right, the last column only downward,
/// the corner is never boundary). The tolerance r = ceil(0.008 * ||(H, W)||). The official code
/// dilates each boundary with cv2.dilate by skimage's disk(r) = {(dx, dy): dx² + dy² ≤ r²}; a
/// boundary pixel of one mask is matched when it lies in the other's dilation, i.e. when some
/// boundary pixel of the other mask lies within that disk around it. We test exactly that, row by
/// row: in row y + dy, the nearest boundary pixel must be within floor(sqrt(r² - dy²)) columns.
/// Empty boundaries: none predicted and some true gives P = 1, R = 0; the reverse P = 0, R = 1;
/// both empty P = R = 1. F = 2PR / (P + R), 0 when P + R = 0.</para>
/// </summary>
public static class DavisMetrics
{
    /// <summary>The official <c>bound_th</c>: a fraction of the image diagonal (values >= 1 would be pixels).</summary>
    public const double BoundaryThreshold = 0.008;

    /// <summary>Dilation radius in pixels: ceil(0.008 * sqrt(H² + W²)) (8 at 854x480, 9 at 910x480).</summary>
    public static int BoundaryRadius(int width, int height) =>
        (int)Math.Ceiling(BoundaryThreshold * Math.Sqrt((double)height * height + (double)width * width));

    /// <summary>Per-object J and F for one frame: objects 1..<paramref name="objects"/>, J[k-1], F[k-1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no slow tier-0 code in short runs
    public static (double[] J, double[] F) ScoreFrame(IndexedMask truth, IndexedMask prediction, int objects)
    {
        if (truth.Width != prediction.Width || truth.Height != prediction.Height)
            throw new ArgumentException($"truth is {truth.Width}x{truth.Height}, prediction {prediction.Width}x{prediction.Height}");
        int w = truth.Width, h = truth.Height;
        // Per object and row: where the object starts and ends (vectorised IndexOf / LastIndexOf), its
        // area there and the overlap; that gives J and the bounding box the boundary work is confined to.
        // Ids above N (or 255 = void in the ground truth) belong to no object, as in the official
        // separation by id 1..N.
        var gtArea = new long[objects + 1]; var predArea = new long[objects + 1]; var inter = new long[objects + 1];
        var box = new Box[objects + 1];
        var g = truth.Ids; var p = prediction.Ids;
        for (int k = 1; k <= objects; k++)
        {
            var b = Box.Empty;
            byte id = (byte)k;
            for (int y = 0; y < h; y++)
            {
                var gRow = g.AsSpan(y * w, w); var pRow = p.AsSpan(y * w, w);
                int g0 = gRow.IndexOf(id), p0 = pRow.IndexOf(id);
                if (g0 < 0 && p0 < 0) continue;
                int g1 = -1, p1 = -1;
                if (g0 >= 0) { g1 = gRow.LastIndexOf(id); gtArea[k] += gRow[g0..(g1 + 1)].Count(id); b.Add(g0, y); b.Add(g1, y); }
                if (p0 >= 0) { p1 = pRow.LastIndexOf(id); predArea[k] += pRow[p0..(p1 + 1)].Count(id); b.Add(p0, y); b.Add(p1, y); }
                int from = Math.Max(g0, p0), to = Math.Min(g1, p1);
                if (g0 >= 0 && p0 >= 0 && from <= to) inter[k] += CountBoth(gRow[from..(to + 1)], pRow[from..(to + 1)], id);
            }
            box[k] = b;
        }

        var j = new double[objects];
        var f = new double[objects];
        int radius = BoundaryRadius(w, h);
        for (int k = 1; k <= objects; k++)
        {
            long union = gtArea[k] + predArea[k] - inter[k];
            j[k - 1] = union == 0 ? 1.0 : (double)inter[k] / union;
            // Boundaries of object k lie in its box grown by one pixel up and left (a background
            // pixel there differs from its right / bottom neighbour) and need one more to the right and down.
            f[k - 1] = box[k].IsEmpty ? 1.0 : BoundaryF(g, p, (byte)k, w, h, radius, box[k].Grow(w, h));
        }
        return (j, f);
    }

    /// <summary>How many positions hold <paramref name="id"/> in both spans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no slow tier-0 code in short runs
    static long CountBoth(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, byte id)
    {
        long count = 0;
        int i = 0;
        var target = new Vector<byte>(id);
        var one = Vector<byte>.One;
        for (; i + Vector<byte>.Count <= a.Length; i += Vector<byte>.Count)
        {
            var both = Vector.Equals(new Vector<byte>(a[i..]), target) & Vector.Equals(new Vector<byte>(b[i..]), target) & one;
            count += Vector.Sum(both); // at most Count ones: no byte overflow
        }
        for (; i < a.Length; i++) if (a[i] == id && b[i] == id) count++;
        return count;
    }

    /// <summary>An inclusive pixel rectangle.</summary>
    internal struct Box(int x0, int y0, int x1, int y1)
    {
        public int X0 = x0, Y0 = y0, X1 = x1, Y1 = y1;
        public static Box Empty => new(int.MaxValue, int.MaxValue, -1, -1);
        public readonly bool IsEmpty => X1 < X0;
        public void Add(int x, int y)
        {
            if (x < X0) X0 = x;
            if (x > X1) X1 = x;
            if (y < Y0) Y0 = y;
            if (y > Y1) Y1 = y;
        }
        public readonly Box Grow(int w, int h) => new(Math.Max(0, X0 - 1), Math.Max(0, Y0 - 1), Math.Min(w - 1, X1 + 1), Math.Min(h - 1, Y1 + 1));
        public static Box Image(int w, int h) => new(0, 0, w - 1, h - 1);
    }

    /// <summary>J of two binary masks (0/1 per pixel).</summary>
    public static double RegionSimilarity(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> prediction)
    {
        long inter = 0, union = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            inter += truth[i] & prediction[i];
            union += truth[i] | prediction[i];
        }
        return union == 0 ? 1.0 : (double)inter / union;
    }

    /// <summary>F of two binary masks (0/1 per pixel), tolerance <paramref name="radius"/> (default: the official one).</summary>
    public static double BoundaryF(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> prediction, int width, int height, int radius = -1) =>
        BoundaryF(truth, prediction, 1, width, height, radius < 0 ? BoundaryRadius(width, height) : radius, Box.Image(width, height));

    /// <summary>F of object <paramref name="id"/>, looking only inside <paramref name="region"/>, which holds both boundaries.</summary>
    static double BoundaryF(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> prediction, byte id, int width, int height, int radius, Box region)
    {
        var gtB = Boundary(truth, id, width, height, region);
        var fgB = Boundary(prediction, id, width, height, region);
        int nGt = gtB.Count, nFg = fgB.Count;

        double precision, recall;
        if (nFg == 0 && nGt > 0) (precision, recall) = (1, 0);
        else if (nFg > 0 && nGt == 0) (precision, recall) = (0, 1);
        else if (nFg == 0 && nGt == 0) (precision, recall) = (1, 1);
        else
        {
            var halfWidths = DiskHalfWidths(radius);
            precision = CountWithin(fgB, gtB, width, region, halfWidths) / (double)nFg;
            recall = CountWithin(gtB, fgB, width, region, halfWidths) / (double)nGt;
        }
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    /// <summary>halfWidths[|dy|] = the largest dx with dx² + dy² ≤ r² (skimage disk(r), row by row).</summary>
    public static int[] DiskHalfWidths(int radius)
    {
        var hw = new int[radius + 1];
        for (int dy = 0; dy <= radius; dy++)
        {
            int dx = 0;
            while ((dx + 1) * (dx + 1) + dy * dy <= radius * radius) dx++;
            hw[dy] = dx;
        }
        return hw;
    }

    /// <summary>The official seg2bmap boundary of a binary mask, as the list of boundary pixel indices (y * W + x), row-major.</summary>
    public static List<int> Boundary(ReadOnlySpan<byte> seg, int width, int height) => Boundary(seg, 1, width, height, Box.Image(width, height));

    /// <summary>
    /// seg2bmap of (ids == id) for the pixels of <paramref name="region"/>, vectorised: b = (s ^ e) | (s ^ d) | (s ^ de)
    /// with e, d, de the right, lower and lower-right neighbours. The official special cases fall out of
    /// padding by replication: below the image's last row the "lower" row is that row itself (leaving
    /// b = s ^ e), right of its last column the "right" pixel is that pixel itself (leaving b = s ^ d),
    /// and the corner gets 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no slow tier-0 code in short runs
    static List<int> Boundary(ReadOnlySpan<byte> ids, byte id, int width, int height, Box region)
    {
        int rw = region.X1 - region.X0 + 1;
        int pw = rw + 1; // one more column on the right: the neighbour of the region's last pixel
        var rows = ArrayPool<byte>.Shared.Rent(3 * pw);
        try
        {
            var current = rows.AsSpan(0, pw);
            var below = rows.AsSpan(pw, pw);
            var b = rows.AsSpan(2 * pw, rw);
            Select(ids, id, width, region.X0, region.Y0, pw, current);
            var list = new List<int>();
            for (int y = region.Y0; y <= region.Y1; y++)
            {
                if (y + 1 < height) Select(ids, id, width, region.X0, y + 1, pw, below);
                else current.CopyTo(below);
                int i = 0;
                for (; i + Vector<byte>.Count <= rw; i += Vector<byte>.Count)
                {
                    var s = new Vector<byte>(current[i..]);
                    ((s ^ new Vector<byte>(current[(i + 1)..])) | (s ^ new Vector<byte>(below[i..])) | (s ^ new Vector<byte>(below[(i + 1)..]))).CopyTo(b[i..]);
                }
                for (; i < rw; i++)
                    b[i] = (byte)((current[i] ^ current[i + 1]) | (current[i] ^ below[i]) | (current[i] ^ below[i + 1]));
                int row = y * width + region.X0;
                for (int x = b.IndexOfAnyExcept((byte)0); x >= 0;)
                {
                    list.Add(row + x);
                    int next = b[(x + 1)..].IndexOfAnyExcept((byte)0);
                    x = next < 0 ? -1 : x + 1 + next;
                }
                var t = current; current = below; below = t; // the lower row becomes the current one
                if (y + 1 >= height) break;
            }
            return list;
        }
        finally { ArrayPool<byte>.Shared.Return(rows); }
    }

    /// <summary>dst[i] = ids[y, x0 + i] == id ? 1 : 0 for i in [0, n), replicating the image's last column beyond it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no slow tier-0 code in short runs
    static void Select(ReadOnlySpan<byte> ids, byte id, int width, int x0, int y, int n, Span<byte> dst)
    {
        int inside = Math.Min(n, width - x0);
        var src = ids.Slice(y * width + x0, inside);
        var one = Vector<byte>.One;
        var target = new Vector<byte>(id);
        int i = 0;
        for (; i + Vector<byte>.Count <= inside; i += Vector<byte>.Count)
            (Vector.Equals(new Vector<byte>(src[i..]), target) & one).CopyTo(dst[i..]);
        for (; i < inside; i++) dst[i] = src[i] == id ? (byte)1 : (byte)0;
        for (; i < n; i++) dst[i] = dst[inside - 1];
    }

    /// <summary>
    /// How many of <paramref name="points"/> have one of <paramref name="targets"/> inside the disk
    /// around them. Both lists are row-major sorted pixel indices, so each row's pixels are a run
    /// sorted by x. For every point row and every row offset dy within the radius, one merge-like walk
    /// over the two runs finds, for each point, the first target at or right of x - halfWidths[|dy|];
    /// a hit when it is at most x + halfWidths[|dy|]. Cost: (2r + 1) x (points + targets), exact.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static int CountWithin(List<int> points, List<int> targets, int width, Box region, int[] halfWidths)
    {
        int radius = halfWidths.Length - 1;
        int rows = region.Y1 - region.Y0 + 1;
        var pointRow = RowStarts(points, width, region.Y0, rows);
        var targetRow = RowStarts(targets, width, region.Y0, rows);
        var p = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(points);
        var t = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(targets);
        // done[i]: point i is decided (matched, or too far from every target to match). A coarse grid
        // of radius-sized cells with a summed-area table decides the far points in four lookups.
        var done = new bool[p.Length];
        int cell = Math.Max(1, radius), rw = region.X1 - region.X0 + 1;
        int gw = rw / cell + 1, gh = rows / cell + 1, gs = gw + 1;
        var sat = new int[gs * (gh + 1)]; // sat[(cy + 1) * gs + cx + 1] = targets in cells [0..cx] x [0..cy]
        foreach (var ti in t) sat[((ti / width - region.Y0) / cell + 1) * gs + (ti % width - region.X0) / cell + 1]++;
        for (int cy = 1; cy <= gh; cy++)
            for (int cx = 1; cx <= gw; cx++)
                sat[cy * gs + cx] += sat[(cy - 1) * gs + cx] + sat[cy * gs + cx - 1] - sat[(cy - 1) * gs + cx - 1];
        for (int i = 0; i < p.Length; i++)
        {
            int y = p[i] / width - region.Y0, x = p[i] % width - region.X0;
            int cx0 = Math.Max(0, x - radius) / cell, cx1 = Math.Min(rw - 1, x + radius) / cell + 1;
            int cy0 = Math.Max(0, y - radius) / cell, cy1 = Math.Min(rows - 1, y + radius) / cell + 1;
            done[i] = sat[cy1 * gs + cx1] - sat[cy0 * gs + cx1] - sat[cy1 * gs + cx0] + sat[cy0 * gs + cx0] == 0;
        }

        int count = 0;
        for (int r = 0; r < rows; r++)
        {
            int p0 = pointRow[r], p1 = pointRow[r + 1], missing = 0;
            for (int i = p0; i < p1; i++) if (!done[i]) missing++;
            int found = 0;
            // Nearest rows first, and stop once every point of the row has a match (the usual case).
            for (int k = 0; k <= 2 * radius && missing > 0; k++)
            {
                int dy = (k & 1) == 0 ? k / 2 : -(k + 1) / 2; // 0, -1, 1, -2, 2, ...
                int rr = r + dy;
                if (rr < 0 || rr >= rows) continue;
                int t0 = targetRow[rr], t1 = targetRow[rr + 1];
                if (t0 == t1) continue;
                int half = halfWidths[Math.Abs(dy)], shift = dy * width;
                if (t[t0] > p[p1 - 1] + shift + half || t[t1 - 1] < p[p0] + shift - half) continue; // runs do not overlap
                int j = t0;
                for (int i = p0; i < p1; i++)
                {
                    if (done[i]) continue;
                    int at = p[i] + shift; // the point's column, in row rr
                    while (j < t1 && t[j] < at - half) j++;
                    if (j == t1) break;
                    if (t[j] <= at + half) { done[i] = true; missing--; found++; }
                }
            }
            count += found;
        }
        return count;
    }

    /// <summary>starts[r] .. starts[r + 1]: the entries of a row-major sorted index list in region row r.</summary>
    static int[] RowStarts(List<int> indices, int width, int y0, int rows)
    {
        var starts = new int[rows + 1];
        foreach (var i in indices) starts[i / width - y0 + 1]++;
        for (int r = 0; r < rows; r++) starts[r + 1] += starts[r];
        return starts;
    }
}
