using ColorTrack.Color;
using ColorTrack.Runtime;
using ColorTrack.Video;
using OpenCvSharp;

namespace ColorTrack.Benchmarks;

/// <summary>
/// sRGB -> Lab on 854x480 DAVIS frames: LabColor (8-bit RGB in, planar float Lab out) against
/// OpenCV (8-bit RGB converted to float [0, 1], then cvtColor RGB2Lab to float Lab), both using all
/// cores unless --threads 1. Usage: lab [--frames 10] [--repeats 7] [--threads N].
/// </summary>
public static class LabBenchmark
{
    public static int Run(string[] args)
    {
        OpenCvRuntime.EnsureLoaded();
        int count = BenchmarkArgs.Int(args, "--frames", 10), repeats = BenchmarkArgs.Int(args, "--repeats", 7);
        int threads = BenchmarkArgs.Int(args, "--threads", Environment.ProcessorCount);
        Cv2.SetNumThreads(threads);
        using var source = FrameSources.Open(SharedFolder.Path("data", "davis2016-train", "JPEGImages", "480p", "bear"), new FrameSourceOptions(MaxFrames: count));
        var frames = source.Frames().Select(f => f.Rgb).ToArray();
        int n = 854 * 480;
        var l = new float[n]; var a = new float[n]; var b = new float[n];

        void Ours() { foreach (var f in frames) LabColor.RgbToLab(f, l, a, b, parallel: threads > 1); } // chunks over cores
        var mats = frames.Select(f => Mat.FromPixelData(480, 854, MatType.CV_8UC3, f)).ToArray();
        using var asFloat = new Mat();
        using var lab = new Mat();
        void OpenCv() { foreach (var m in mats) { m.ConvertTo(asFloat, MatType.CV_32FC3, 1 / 255.0); Cv2.CvtColor(asFloat, lab, ColorConversionCodes.RGB2Lab); } }
        void OpenCvFloatOnly() { foreach (var _ in mats) Cv2.CvtColor(asFloat, lab, ColorConversionCodes.RGB2Lab); }

        double ours = count / Measure.Median(Measure.Seconds(Ours, repeats, 2));
        double cv = count / Measure.Median(Measure.Seconds(OpenCv, repeats, 2));
        double cvFloat = count / Measure.Median(Measure.Seconds(OpenCvFloatOnly, repeats, 2));
        Console.WriteLine($"lab 854x480, {threads} threads, median of {repeats} runs over {count} frames:");
        Console.WriteLine($"  LabColor.RgbToLab (bytes -> planar float Lab)      {ours,8:F1} frames/s");
        Console.WriteLine($"  OpenCV convertTo float + cvtColor RGB2Lab          {cv,8:F1} frames/s   ratio ours/OpenCV {ours / cv:F2}");
        Console.WriteLine($"  OpenCV cvtColor RGB2Lab on float input alone       {cvFloat,8:F1} frames/s   ratio {ours / cvFloat:F2}");
        foreach (var m in mats) m.Dispose();
        return 0;
    }
}
