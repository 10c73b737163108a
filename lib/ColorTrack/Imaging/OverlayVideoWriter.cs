using System.Runtime.InteropServices;
using ColorTrack.Runtime;
using OpenCvSharp;

namespace ColorTrack.Imaging;

/// <summary>
/// An mp4 a person can watch: each frame with the tracked masks blended in their DAVIS-palette
/// colours (object outlines drawn solid), or a skeleton of keypoints. Written to a temporary file
/// and renamed by <see cref="Complete"/>; disposing without completing removes it.
/// </summary>
public sealed class OverlayVideoWriter : IDisposable
{
    readonly VideoWriter _writer;
    readonly string _temp, _path;
    readonly int _width, _height;
    bool _done;

    public OverlayVideoWriter(string path, int width, int height, double fps)
    {
        OpenCvRuntime.EnsureLoaded();
        _path = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _temp = Path.Combine(Path.GetDirectoryName(_path)!, $".{Path.GetFileNameWithoutExtension(_path)}.{Guid.NewGuid():N}.partial.mp4");
        (_width, _height) = (width, height);
        // The lower-case tag: FFmpeg's mp4 muxer knows 'mp4v', and OpenCV prints two lines on stderr for 'MP4V' before falling back to it.
        _writer = new VideoWriter(_temp, FourCC.FromFourChars('m', 'p', '4', 'v'), fps > 0 ? fps : 25, new Size(width, height));
        if (!_writer.IsOpened()) throw new BadInputException(path, "cannot write an mp4 here (OpenCV VideoWriter did not open)");
    }

    /// <summary>A frame as it is (RGB24), nothing drawn on it: for writing a clip itself.</summary>
    public void WriteFrame(byte[] rgb)
    {
        using var frame = ToBgr(rgb);
        _writer.Write(frame);
    }

    /// <summary>Blend each object's palette colour at 50% over RGB24 pixels and outline it.</summary>
    public void WriteMask(byte[] rgb, IndexedMask mask)
    {
        using var frame = ToBgr(MaskOverlay.Blend(rgb, mask, 0.5));
        using var ids = new Mat(mask.Height, mask.Width, MatType.CV_8UC1);
        Marshal.Copy(mask.Ids, 0, ids.Data, mask.Ids.Length);
        foreach (var id in mask.Ids.Distinct().Where(i => i != 0))
        {
            using var one = new Mat();
            Cv2.Compare(ids, new Scalar(id), one, CmpTypes.EQ);
            Cv2.FindContours(one, out var contours, out _, RetrievalModes.External, ContourApproximationModes.ApproxSimple);
            var (r, g, b) = DavisPalette.Color(id);
            Cv2.DrawContours(frame, contours, -1, new Scalar(b, g, r), 2);
        }
        _writer.Write(frame);
    }

    /// <summary>Draw visible joints as dots and the edges between visible joints as lines.</summary>
    public void WriteSkeleton(byte[] rgb, IReadOnlyList<(float X, float Y, bool Visible)> joints, IReadOnlyList<int[]>? edges)
    {
        using var frame = ToBgr(rgb);
        if (edges != null)
            foreach (var e in edges)
                if (e.Length == 2 && e[0] < joints.Count && e[1] < joints.Count && joints[e[0]].Visible && joints[e[1]].Visible)
                    Cv2.Line(frame, new Point(joints[e[0]].X, joints[e[0]].Y), new Point(joints[e[1]].X, joints[e[1]].Y), new Scalar(255, 255, 255), 2);
        for (int j = 0; j < joints.Count; j++)
        {
            if (!joints[j].Visible) continue;
            var (r, g, b) = DavisPalette.Color(1 + j % 20);
            Cv2.Circle(frame, new Point(joints[j].X, joints[j].Y), 4, new Scalar(b, g, r), -1);
        }
        _writer.Write(frame);
    }

    Mat ToBgr(byte[] rgb)
    {
        var mat = new Mat(_height, _width, MatType.CV_8UC3);
        Marshal.Copy(rgb, 0, mat.Data, rgb.Length);
        Cv2.CvtColor(mat, mat, ColorConversionCodes.RGB2BGR);
        return mat;
    }

    /// <summary>Close the file and give it its final name.</summary>
    public void Complete()
    {
        _writer.Release();
        File.Move(_temp, _path, overwrite: true);
        _done = true;
    }

    public void Dispose()
    {
        _writer.Dispose();
        if (!_done) try { File.Delete(_temp); } catch (IOException) { }
    }
}
