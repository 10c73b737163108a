using System.Buffers;
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
    public static (double[] J, double[] F) ScoreFrame(IndexedMask truth, IndexedMask prediction, int objects)
    {
        if (truth.Width != prediction.Width || truth.Height != prediction.Height)
            throw new ArgumentException($"truth is {truth.Width}x{truth.Height}, prediction {prediction.Width}x{prediction.Height}");
        int n = truth.Ids.Length;
        // Areas and intersections of all objects in one pass; ids above N (or 255 = void in the
        // ground truth) belong to no object, as in the official separation by id 1..N.
        Span<long> gtArea = stackalloc long[256], predArea = stackalloc long[256], inter = stackalloc long[256];
        gtArea.Clear(); predArea.Clear(); inter.Clear();
        var g = truth.Ids; var p = prediction.Ids;
        for (int i = 0; i < n; i++)
        {
            gtArea[g[i]]++;
            predArea[p[i]]++;
            if (g[i] == p[i]) inter[g[i]]++;
        }
        var j = new double[objects];
        var f = new double[objects];
        int radius = BoundaryRadius(truth.Width, truth.Height);
        var gtMask = ArrayPool<byte>.Shared.Rent(n);
        var predMask = ArrayPool<byte>.Shared.Rent(n);
        try
        {
            for (int k = 1; k <= objects; k++)
            {
                long union = gtArea[k] + predArea[k] - inter[k];
                j[k - 1] = union == 0 ? 1.0 : (double)inter[k] / union;
                bool gtAny = Select(g, (byte)k, gtMask.AsSpan(0, n)), predAny = Select(p, (byte)k, predMask.AsSpan(0, n));
                f[k - 1] = !gtAny && !predAny ? 1.0
                    : BoundaryF(gtMask.AsSpan(0, n), predMask.AsSpan(0, n), truth.Width, truth.Height, radius);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(gtMask);
            ArrayPool<byte>.Shared.Return(predMask);
        }
        return (j, f);
    }

    static bool Select(byte[] ids, byte k, Span<byte> mask)
    {
        bool any = false;
        for (int i = 0; i < mask.Length; i++)
        {
            bool on = ids[i] == k;
            mask[i] = on ? (byte)1 : (byte)0;
            any |= on;
        }
        return any;
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
    public static double BoundaryF(ReadOnlySpan<byte> truth, ReadOnlySpan<byte> prediction, int width, int height, int radius = -1)
    {
        if (radius < 0) radius = BoundaryRadius(width, height);
        var gtB = Boundary(truth, width, height);
        var fgB = Boundary(prediction, width, height);
        int nGt = gtB.Count, nFg = fgB.Count;

        double precision, recall;
        if (nFg == 0 && nGt > 0) (precision, recall) = (1, 0);
        else if (nFg > 0 && nGt == 0) (precision, recall) = (0, 1);
        else if (nFg == 0 && nGt == 0) (precision, recall) = (1, 1);
        else
        {
            var halfWidths = DiskHalfWidths(radius);
            precision = CountWithin(fgB, gtB, width, height, halfWidths) / (double)nFg;
            recall = CountWithin(gtB, fgB, width, height, halfWidths) / (double)nGt;
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

    /// <summary>The official seg2bmap boundary, as the list of boundary pixel indices (y * W + x), row-major.</summary>
    public static List<int> Boundary(ReadOnlySpan<byte> seg, int width, int height)
    {
        var b = new List<int>();
        for (int y = 0; y < height; y++)
        {
            int row = y * width;
            bool lastRow = y == height - 1;
            for (int x = 0; x < width; x++)
            {
                int s = seg[row + x];
                bool lastCol = x == width - 1;
                bool on;
                if (lastRow && lastCol) on = false;
                else if (lastRow) on = s != seg[row + x + 1];
                else if (lastCol) on = s != seg[row + width + x];
                else on = s != seg[row + x + 1] || s != seg[row + width + x] || s != seg[row + width + x + 1];
                if (on) b.Add(row + x);
            }
        }
        return b;
    }

    /// <summary>How many pixels of <paramref name="points"/> have a pixel of <paramref name="targets"/> inside the disk around them.</summary>
    static int CountWithin(List<int> points, List<int> targets, int width, int height, int[] halfWidths)
    {
        int radius = halfWidths.Length - 1;
        // rowDistance[y * W + x] = distance to the nearest target pixel in row y (a 1-D distance
        // transform per row); rows without targets are skipped through hasRow.
        var rowDistance = ArrayPool<int>.Shared.Rent(width * height);
        var hasRow = new bool[height];
        try
        {
            foreach (var t in targets) hasRow[t / width] = true;
            var isTarget = new bool[width];
            int ti = 0;
            for (int y = 0; y < height; y++)
            {
                if (!hasRow[y]) continue;
                Array.Clear(isTarget);
                while (ti < targets.Count && targets[ti] / width == y) isTarget[targets[ti++] % width] = true;
                var d = rowDistance.AsSpan(y * width, width);
                int last = -1_000_000;
                for (int x = 0; x < width; x++) { if (isTarget[x]) last = x; d[x] = x - last; }
                last = 1_000_000;
                for (int x = width - 1; x >= 0; x--) { if (isTarget[x]) last = x; d[x] = Math.Min(d[x], last - x); }
            }
            int count = 0;
            foreach (var pnt in points)
            {
                int y = pnt / width, x = pnt % width;
                int y0 = Math.Max(0, y - radius), y1 = Math.Min(height - 1, y + radius);
                for (int yy = y0; yy <= y1; yy++)
                    if (hasRow[yy] && rowDistance[yy * width + x] <= halfWidths[Math.Abs(yy - y)]) { count++; break; }
            }
            return count;
        }
        finally { ArrayPool<int>.Shared.Return(rowDistance); }
    }
}
