using ColorTrack.Color;
using ColorTrack.Video;

namespace ColorTrack.Analysis;

/// <summary>(a, b) samples of frames, interleaved a0, b0, a1, b1, ... — the input of k-means.</summary>
public static class AbSamples
{
    /// <summary>Every <paramref name="pixelStride"/>-th pixel in x and y of every frame.</summary>
    public static float[] FromFrames(IEnumerable<VideoFrame> frames, int pixelStride = 4)
    {
        var ab = new List<float>();
        foreach (var f in frames)
        {
            var lab = LabColor.RgbToLab(f.Rgb);
            int n = f.Width * f.Height;
            for (int y = 0; y < f.Height; y += pixelStride)
                for (int x = 0; x < f.Width; x += pixelStride)
                {
                    ab.Add(lab[n + y * f.Width + x]);
                    ab.Add(lab[2 * n + y * f.Width + x]);
                }
        }
        return ab.ToArray();
    }
}
