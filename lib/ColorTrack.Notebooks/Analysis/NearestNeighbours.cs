using ColorTrack.Video;
using OpenCvSharp;
using static TorchSharp.torch;

namespace ColorTrack.Analysis;

/// <summary>
/// Where does one point go? Take the embedding of a location in the first frame and find, in every
/// later frame, the location whose embedding is most similar (cosine). No propagation, no window:
/// this shows what the embedding alone encodes about identity across time.
/// </summary>
public static class NearestNeighbours
{
    /// <param name="embeddings">[T, D, h, w]</param>
    /// <param name="x">Query column on the feature grid (frame 0).</param>
    /// <param name="y">Query row on the feature grid.</param>
    /// <returns>Per frame: the best match (column, row) and its cosine similarity.</returns>
    public static IReadOnlyList<(int X, int Y, double Similarity)> Follow(Tensor embeddings, int x, int y)
    {
        using var scope = NewDisposeScope();
        long t = embeddings.shape[0], d = embeddings.shape[1], h = embeddings.shape[2], w = embeddings.shape[3];
        var flat = nn.functional.normalize(embeddings.reshape(t, d, h * w), dim: 1);  // [T, D, h*w], unit vectors
        var query = flat[0, .., y * w + x];                                              // [D]
        var sim = einsum("d,tdn->tn", query, flat);                                      // [T, h*w]
        var (best, index) = sim.max(1);
        var b = best.data<float>().ToArray(); var i = index.data<long>().ToArray();
        return Enumerable.Range(0, (int)t).Select(k => ((int)(i[k] % w), (int)(i[k] / w), (double)b[k])).ToList();
    }

    /// <summary>Mark a feature-grid cell on a frame (a ring, in a colour of choice).</summary>
    public static VideoFrame Mark(VideoFrame frame, int x, int y, int gridWidth, int gridHeight, (byte R, byte G, byte B) color)
    {
        using var img = Mat.FromPixelData(frame.Height, frame.Width, MatType.CV_8UC3, (byte[])frame.Rgb.Clone());
        var centre = new Point((x + 0.5) * frame.Width / gridWidth, (y + 0.5) * frame.Height / gridHeight);
        int r = Math.Max(3, frame.Width / gridWidth);
        Cv2.Circle(img, centre, r, new Scalar(color.R, color.G, color.B), 2, LineTypes.AntiAlias);
        var bytes = new byte[frame.Rgb.Length];
        System.Runtime.InteropServices.Marshal.Copy(img.Data, bytes, 0, bytes.Length);
        return frame with { Rgb = bytes };
    }
}
