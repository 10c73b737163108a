using OpenCvSharp;

namespace ColorTrack.Video;

/// <summary>OpenCV images (BGR, as decoded) to <see cref="VideoFrame"/>s: resize, then BGR -> RGB24.</summary>
internal static class OpenCvFrames
{
    /// <summary>Convert a decoded BGR image; shrinking uses area averaging (no aliasing), enlarging bilinear.</summary>
    public static VideoFrame ToFrame(Mat bgr, int index, double time, int width, int height)
    {
        using var rgb = new Mat();
        if (bgr.Width != width || bgr.Height != height)
        {
            using var resized = new Mat();
            var shrink = width <= bgr.Width && height <= bgr.Height;
            Cv2.Resize(bgr, resized, new Size(width, height), 0, 0, shrink ? InterpolationFlags.Area : InterpolationFlags.Linear);
            Cv2.CvtColor(resized, rgb, ColorConversionCodes.BGR2RGB);
        }
        else Cv2.CvtColor(bgr, rgb, ColorConversionCodes.BGR2RGB);
        var bytes = new byte[width * height * 3];
        if (rgb.IsContinuous()) System.Runtime.InteropServices.Marshal.Copy(rgb.Data, bytes, 0, bytes.Length);
        else
            for (int y = 0; y < height; y++)
                System.Runtime.InteropServices.Marshal.Copy(rgb.Ptr(y), bytes, y * width * 3, width * 3);
        return new VideoFrame(index, time, width, height, bytes);
    }

    /// <summary>Resize an RGB24 buffer (area averaging when shrinking, bilinear when enlarging).</summary>
    public static byte[] Resize(byte[] rgb, int width, int height, int newWidth, int newHeight)
    {
        if (width == newWidth && height == newHeight) return rgb;
        using var src = Mat.FromPixelData(height, width, MatType.CV_8UC3, rgb);
        using var dst = new Mat();
        var shrink = newWidth <= width && newHeight <= height;
        Cv2.Resize(src, dst, new Size(newWidth, newHeight), 0, 0, shrink ? InterpolationFlags.Area : InterpolationFlags.Linear);
        var bytes = new byte[newWidth * newHeight * 3];
        System.Runtime.InteropServices.Marshal.Copy(dst.Data, bytes, 0, bytes.Length);
        return bytes;
    }
}
