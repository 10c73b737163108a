using ColorTrack.Video;
using OpenCvSharp;

namespace ColorTrack.Analysis;

/// <summary>
/// The pointer, drawn: reference and target side by side, a few target locations marked, each joined
/// by a line to the reference location it copies its colour from (the argmax of A_ij).
/// </summary>
public static class PointerPicture
{
    public static VideoFrame Draw(VideoFrame reference, VideoFrame target, Colorizer.Result pointers, int count = 12, int seed = 0)
    {
        int W = target.Width, H = target.Height, w = pointers.FeatureWidth, h = pointers.FeatureHeight;
        using var canvas = new Mat(H, 2 * W, MatType.CV_8UC3);
        using (var r = Mat.FromPixelData(H, W, MatType.CV_8UC3, reference.Rgb)) r.CopyTo(canvas[new Rect(0, 0, W, H)]);
        using (var t = Mat.FromPixelData(H, W, MatType.CV_8UC3, target.Rgb)) t.CopyTo(canvas[new Rect(W, 0, W, H)]);

        // Evenly spread target locations (a jittered grid), so the lines do not pile up.
        var rng = new Random(seed);
        int side = (int)Math.Ceiling(Math.Sqrt(count));
        for (int k = 0; k < count; k++)
        {
            int gx = Math.Min(w - 1, (int)((k % side + 0.2 + 0.6 * rng.NextDouble()) * w / side));
            int gy = Math.Min(h - 1, (int)((k / side + 0.2 + 0.6 * rng.NextDouble()) * h / side));
            int j = gy * w + gx, i = pointers.Pointers[j];
            var to = new Point(W + (gx + 0.5) * W / w, (gy + 0.5) * H / h);
            var from = new Point((i % w + 0.5) * W / w, (i / w + 0.5) * H / h);
            var hue = (byte)(180 * k / count);
            var color = HueToRgb(hue);
            Cv2.Line(canvas, to, from, color, 1, LineTypes.AntiAlias);
            Cv2.Circle(canvas, to, 3, color, -1, LineTypes.AntiAlias);
            Cv2.Circle(canvas, from, 3, color, 1, LineTypes.AntiAlias);
        }
        var bytes = new byte[H * 2 * W * 3];
        System.Runtime.InteropServices.Marshal.Copy(canvas.Data, bytes, 0, bytes.Length);
        return new VideoFrame(target.Index, target.TimeSeconds, 2 * W, H, bytes);
    }

    static Scalar HueToRgb(byte hue)
    {
        using var hsv = new Mat(1, 1, MatType.CV_8UC3, new Scalar(hue, 230, 255));
        using var rgb = new Mat();
        Cv2.CvtColor(hsv, rgb, ColorConversionCodes.HSV2RGB);
        var v = rgb.Get<Vec3b>(0, 0);
        return new Scalar(v.Item0, v.Item1, v.Item2);
    }
}
