using System.Runtime.InteropServices;
using OpenCvSharp;

namespace ColorTrack.Video;

/// <summary>OpenCV images (BGR, as decoded) to <see cref="VideoFrame"/>s and RGB24 buffers.</summary>
internal static class OpenCvFrames
{
    /// <summary>Convert a decoded BGR image: resize (see <see cref="ResizeInto"/>), then BGR -> RGB24.</summary>
    public static VideoFrame ToFrame(Mat bgr, int index, double time, int width, int height)
    {
        using var resized = new Mat();
        ResizeInto(bgr, resized, width, height);
        using var rgb = new Mat();
        Cv2.CvtColor(resized, rgb, ColorConversionCodes.BGR2RGB);
        return new VideoFrame(index, time, width, height, Bytes(rgb));
    }

    /// <summary>Resize an RGB24 buffer (returned as is when the size already matches).</summary>
    public static byte[] Resize(byte[] rgb, int width, int height, int newWidth, int newHeight)
    {
        if (width == newWidth && height == newHeight) return rgb;
        using var src = Mat.FromPixelData(height, width, MatType.CV_8UC3, rgb);
        using var dst = new Mat();
        ResizeInto(src, dst, newWidth, newHeight);
        return Bytes(dst);
    }

    /// <summary>Shrinking averages areas (no aliasing), enlarging interpolates bilinearly; same size copies.</summary>
    static void ResizeInto(Mat src, Mat dst, int width, int height)
    {
        if (src.Width == width && src.Height == height) { src.CopyTo(dst); return; }
        var shrink = width <= src.Width && height <= src.Height;
        Cv2.Resize(src, dst, new Size(width, height), 0, 0, shrink ? InterpolationFlags.Area : InterpolationFlags.Linear);
    }

    /// <summary>The pixels of an 8-bit 3-channel image, row-major.</summary>
    static byte[] Bytes(Mat m)
    {
        int row = m.Width * 3, height = m.Height;
        var bytes = new byte[row * height];
        if (m.IsContinuous()) Marshal.Copy(m.Data, bytes, 0, bytes.Length);
        else for (int y = 0; y < height; y++) Marshal.Copy(m.Ptr(y), bytes, y * row, row);
        return bytes;
    }
}
