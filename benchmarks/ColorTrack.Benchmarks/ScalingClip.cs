using ColorTrack.Imaging;
using ColorTrack.Runtime;
using OpenCvSharp;

namespace ColorTrack.Benchmarks;

/// <summary>
/// A synthetic clip of any length and size, written straight to an mp4 frame by frame (a 5,000-frame
/// 1080p clip never exists in memory): a textured disc moving on a Lissajous path over a slowly
/// panning textured background, and the first frame's mask (the disc = object 1) as a palette PNG.
/// Drawn with OpenCV, so writing costs little beside tracking.
/// </summary>
public static class ScalingClip
{
    public static (string Video, string Mask) Write(string folder, int width, int height, int frames, int seed = 0)
    {
        OpenCvRuntime.EnsureLoaded();
        Directory.CreateDirectory(folder);
        var video = Path.Combine(folder, $"clip-{width}x{height}-{frames}.mp4");
        var maskPath = Path.Combine(folder, $"clip-{width}x{height}-{frames}.mask.png");
        int pan = width / 4;
        using var background = Texture(width + pan, height + pan, seed, cell: Math.Max(8, height / 24));
        int radius = Math.Max(8, height / 8);
        using var disc = Texture(2 * radius, 2 * radius, seed + 1, cell: Math.Max(4, radius / 4));
        using var discMask = new Mat(2 * radius, 2 * radius, MatType.CV_8UC1, Scalar.All(0));
        Cv2.Circle(discMask, new Point(radius, radius), radius - 1, Scalar.All(255), -1);

        using var writer = new VideoWriter(video, FourCC.FromFourChars('m', 'p', '4', 'v'), 25, new Size(width, height));
        if (!writer.IsOpened()) throw new InvalidOperationException($"{video}: OpenCV cannot write mp4 here");
        using var frame = new Mat(height, width, MatType.CV_8UC3);
        for (int t = 0; t < frames; t++)
        {
            double phase = 2 * Math.PI * t / 200.0; // one loop every 200 frames, whatever the length
            int bx = (int)(pan / 2 * (1 + Math.Sin(phase / 3))), by = (int)(pan / 2 * (1 + Math.Cos(phase / 4)));
            using (var view = new Mat(background, new Rect(bx, by, width, height))) view.CopyTo(frame);
            int cx = (int)(width / 2 + (width / 2 - radius - 2) * Math.Sin(phase)), cy = (int)(height / 2 + (height / 2 - radius - 2) * Math.Sin(2 * phase + 1));
            var roi = new Rect(cx - radius, cy - radius, 2 * radius, 2 * radius);
            using (var target = new Mat(frame, roi)) disc.CopyTo(target, discMask);
            writer.Write(frame);
            if (t == 0)
            {
                var ids = new byte[width * height];
                using var full = new Mat(height, width, MatType.CV_8UC1, Scalar.All(0));
                using (var target = new Mat(full, roi)) discMask.CopyTo(target);
                full.GetArray(out byte[] values);
                for (int i = 0; i < ids.Length; i++) ids[i] = values[i] > 0 ? (byte)1 : (byte)0;
                MaskPng.Write(maskPath, new IndexedMask(width, height, ids));
            }
        }
        writer.Release();
        return (video, maskPath);
    }

    /// <summary>Random colour cells, blurred: texture a tracker can latch onto, at any size.</summary>
    static Mat Texture(int width, int height, int seed, int cell)
    {
        var rng = new Random(seed);
        int cw = width / cell + 1, ch = height / cell + 1;
        var small = new Mat(ch, cw, MatType.CV_8UC3);
        var bytes = new byte[cw * ch * 3];
        rng.NextBytes(bytes);
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, small.Data, bytes.Length); // a new Mat is continuous
        var big = new Mat();
        Cv2.Resize(small, big, new Size(width, height), interpolation: InterpolationFlags.Nearest);
        Cv2.GaussianBlur(big, big, new Size(0, 0), cell / 4.0 + 0.5);
        small.Dispose();
        return big;
    }
}
