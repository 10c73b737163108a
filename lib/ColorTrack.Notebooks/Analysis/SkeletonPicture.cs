using ColorTrack.Datasets;
using ColorTrack.Video;
using OpenCvSharp;

namespace ColorTrack.Analysis;

/// <summary>Keypoints drawn over a frame as a skeleton (Figure 8): bones as lines, joints as dots; invisible joints are skipped.</summary>
public static class SkeletonPicture
{
    public static VideoFrame Draw(VideoFrame frame, IReadOnlyList<Keypoint> points, int[][]? bones = null, (byte R, byte G, byte B)? color = null)
    {
        bones ??= points.Count == 15 ? KeypointsFile.JhmdbEdges : []; // JHMDB's puppet
        var c = color ?? (255, 60, 60);
        var ink = new Scalar(c.R, c.G, c.B);
        using var img = Mat.FromPixelData(frame.Height, frame.Width, MatType.CV_8UC3, (byte[])frame.Rgb.Clone());
        int thickness = Math.Max(1, Math.Min(frame.Width, frame.Height) / 120);
        foreach (var b in bones)
        {
            var (p, q) = (points[b[0]], points[b[1]]);
            if (p.Visible && q.Visible) Cv2.Line(img, new Point(p.X, p.Y), new Point(q.X, q.Y), ink, thickness, LineTypes.AntiAlias);
        }
        foreach (var p in points.Where(p => p.Visible))
            Cv2.Circle(img, new Point(p.X, p.Y), thickness + 2, new Scalar(255, 255, 255), -1, LineTypes.AntiAlias);
        var bytes = new byte[frame.Rgb.Length];
        System.Runtime.InteropServices.Marshal.Copy(img.Data, bytes, 0, bytes.Length);
        return frame with { Rgb = bytes };
    }
}
