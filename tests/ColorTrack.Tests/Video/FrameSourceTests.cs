using ColorTrack.Runtime;
using ColorTrack.Tests.Support;
using ColorTrack.Video;
using OpenCvSharp;

namespace ColorTrack.Tests.Video;

public class FrameSourceTests
{
    public FrameSourceTests() => OpenCvRuntime.EnsureLoaded();

    static string Bear => SharedData.Path("data", "davis2016-train", "JPEGImages", "480p", "bear");

    [SharedDataFact]
    public void ImageFolder_YieldsEveryFrameInOrderWithDavisSize()
    {
        using var src = FrameSources.Open(Bear);
        Assert.Equal("bear", src.Name);
        Assert.Equal((854, 480), (src.Width, src.Height));
        var frames = src.Frames().ToList();
        Assert.Equal(82, frames.Count);
        Assert.Equal(src.FrameCount, frames.Count);
        Assert.Equal(Enumerable.Range(0, 82), frames.Select(f => f.Index));
        Assert.Equal(854 * 480 * 3, frames[0].Rgb.Length);
        // Pixel (10, 20) equals OpenCV's own decode, channels reordered BGR -> RGB.
        using var bgr = Cv2.ImRead(Path.Combine(Bear, "00000.jpg"));
        var p = bgr.At<Vec3b>(20, 10);
        int o = (20 * 854 + 10) * 3;
        Assert.Equal((p.Item2, p.Item1, p.Item0), (frames[0].Rgb[o], frames[0].Rgb[o + 1], frames[0].Rgb[o + 2]));
    }

    [SharedDataFact]
    public void ImageFolder_ResamplesTo6FpsAndResizes()
    {
        using var src = FrameSources.Open(Bear, new FrameSourceOptions(TargetFps: 6, Width: 256, Height: 256));
        var frames = src.Frames().ToList();
        Assert.Equal(21, frames.Count); // 82 frames at 24 fps -> every 4th: 0, 4, ..., 80
        Assert.Equal(src.FrameCount, frames.Count);
        Assert.All(frames, f => Assert.Equal((256, 256, 256 * 256 * 3), (f.Width, f.Height, f.Rgb.Length)));
        Assert.Equal(Enumerable.Range(0, 21).Select(k => k * 4 / 24.0), frames.Select(f => f.TimeSeconds));
    }

    [SharedDataFact]
    public void JhmdbClip_FolderFromOneAndAviAgree()
    {
        // JHMDB numbers frames from 00001.png; the same clip as .avi decodes to (nearly) the same pixels.
        var root = SharedData.Path("data", "jhmdb-sample");
        using var folder = FrameSources.Open(Path.Combine(root, "Goal_Keeping_Tips_catch_f_cm_np1_fr_med_2"), new FrameSourceOptions(FolderFps: 30));
        using var avi = FrameSources.Open(Path.Combine(root, "Goal_Keeping_Tips_catch_f_cm_np1_fr_med_2.avi"));
        Assert.Equal((320, 240, 40), (folder.Width, folder.Height, folder.FrameCount));
        Assert.Equal((320, 240), (avi.Width, avi.Height));
        var a = folder.Frames().ToList();
        var b = avi.Frames().ToList();
        Assert.Equal(40, a.Count);
        Assert.Equal(a.Count, b.Count);
        Assert.Equal(0, a[0].Index);
        double diff = a[20].Rgb.Zip(b[20].Rgb).Average(p => Math.Abs(p.First - p.Second));
        Assert.True(diff < 8, $"frame 20 differs by {diff:F1} levels on average");
    }

    [SharedDataFact]
    public void VideoFile_StreamsAllFramesWithIncreasingTimestamps()
    {
        using var src = FrameSources.Open(SharedData.Path("data", "videos", "bear.mp4"));
        Assert.Equal((854, 480), (src.Width, src.Height));
        var times = new List<double>();
        foreach (var f in src.Frames()) { Assert.Equal(times.Count, f.Index); times.Add(f.TimeSeconds); }
        Assert.True(times.Count >= 80, $"{times.Count} frames");
        Assert.True(times.Zip(times.Skip(1)).All(p => p.Second > p.First), "timestamps increase");
        Assert.InRange(Math.Abs(times.Count - (src.FrameCount ?? 0)), 0, 2);
    }

    [SharedDataTheory]
    [InlineData("bear.mp4", 6.0)]
    [InlineData("vtest.avi", 6.0)]
    [InlineData("cat.mp4", 10.0)]
    public void VideoFile_ResamplesToTargetRateByTimestamps(string file, double fps)
    {
        using var native = (VideoFileSource)FrameSources.Open(SharedData.Path("data", "videos", file));
        var nativeTimes = native.Frames().Select(f => f.TimeSeconds).ToList();
        using var src = FrameSources.Open(SharedData.Path("data", "videos", file), new FrameSourceOptions(TargetFps: fps, Width: 64));
        var frames = src.Frames().ToList();
        double duration = nativeTimes[^1] - nativeTimes[0] + 1 / native.NativeFramesPerSecond;
        Assert.InRange(frames.Count, Math.Floor(duration * fps) - 1, Math.Ceiling(duration * fps) + 1);
        Assert.Equal(64, frames[0].Width);
        for (int k = 0; k < frames.Count; k++) // each output frame is the native frame nearest its due time
        {
            double due = nativeTimes[0] + k / fps;
            Assert.True(Math.Abs(frames[k].TimeSeconds - due) <= 0.5 / native.NativeFramesPerSecond + 1e-6, $"frame {k} at {frames[k].TimeSeconds} due {due}");
        }
    }

    [Theory]
    [InlineData(".avi", "MJPG")]
    [InlineData(".mp4", "mp4v")]
    public void VideoFile_ResampledFramesAreTheRightOnes(string ext, string fourcc)
    {
        // 12 frames at 12 fps whose red level encodes the frame number; at 6 fps we must get 0, 2, 4, ...
        using var dir = new TempDir();
        var path = dir["clip" + ext];
        using (var writer = new VideoWriter(path, FourCC.FromString(fourcc), 12, new Size(64, 48)))
        {
            Assert.True(writer.IsOpened(), $"OpenCV can write {fourcc}");
            for (int i = 0; i < 12; i++) { using var m = new Mat(48, 64, MatType.CV_8UC3, new Scalar(40, 40, 20 * i)); writer.Write(m); }
        }
        using var src = FrameSources.Open(path, new FrameSourceOptions(TargetFps: 6, Width: 32, Height: 24));
        Assert.Equal(6, src.FrameCount);
        var frames = src.Frames().ToList();
        Assert.Equal(6, frames.Count);
        for (int k = 0; k < 6; k++)
        {
            Assert.Equal((32, 24), (frames[k].Width, frames[k].Height));
            Assert.InRange(frames[k].Rgb[0], 20 * 2 * k - 6, 20 * 2 * k + 6); // red channel of the first pixel
            Assert.InRange(frames[k].TimeSeconds, 2 * k / 12.0 - 0.002, 2 * k / 12.0 + 0.002); // containers store whole milliseconds
        }
    }

    [Fact]
    public void ImageFolder_GapInNumbering_NamesTheFileAfterTheGap()
    {
        using var dir = new TempDir();
        WriteImage(dir["00000.png"], 8, 6); WriteImage(dir["00001.png"], 8, 6); WriteImage(dir["00003.png"], 8, 6);
        var e = Assert.Throws<BadInputException>(() => FrameSources.Open(dir.Path));
        Assert.EndsWith("00003.png", e.Path);
        Assert.Contains("gap", e.Message);
    }

    [Fact]
    public void ImageFolder_DifferentSizes_NamesTheOddImage()
    {
        using var dir = new TempDir();
        WriteImage(dir["00001.png"], 8, 6); WriteImage(dir["00002.png"], 8, 6); WriteImage(dir["00003.png"], 9, 6);
        using var src = FrameSources.Open(dir.Path);
        var e = Assert.Throws<BadInputException>(() => src.Frames().ToList());
        Assert.EndsWith("00003.png", e.Path);
        Assert.Contains("9x6", e.Message);
    }

    [Fact]
    public void ImageFolder_UnreadableImage_NamesIt()
    {
        using var dir = new TempDir();
        WriteImage(dir["00000.jpg"], 8, 6);
        File.WriteAllText(dir["00001.jpg"], "not a jpeg");
        using var src = FrameSources.Open(dir.Path);
        var e = Assert.Throws<BadInputException>(() => src.Frames().ToList());
        Assert.EndsWith("00001.jpg", e.Path);
    }

    [Fact]
    public void BadPaths_GiveOneLineErrorsNamingThem()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["empty.mp4"], Array.Empty<byte>());
        File.WriteAllBytes(dir["noise.mp4"], Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 251)).ToArray());
        Directory.CreateDirectory(dir["nothing"]);
        foreach (var path in new[] { dir["empty.mp4"], dir["noise.mp4"], dir["nothing"], dir["missing.mp4"] })
        {
            var e = Assert.Throws<BadInputException>(() => { using var s = FrameSources.Open(path); s.Frames().ToList(); });
            Assert.Equal(path, e.Path);
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    [Fact]
    public void Resampler_PicksNearestFrameAndRepeatsWhenUpsampling()
    {
        var down = new FrameResampler(30, 6);
        var picked = Enumerable.Range(0, 31).Where(i => down.Take(i / 30.0).Any()).ToArray();
        Assert.Equal(new[] { 0, 5, 10, 15, 20, 25, 30 }, picked);
        var up = new FrameResampler(10, 20);
        var counts = Enumerable.Range(0, 5).Select(i => up.Take(i / 10.0).Count()).ToArray();
        Assert.Equal(new[] { 1, 2, 2, 2, 2 }, counts);
        Assert.Equal(7, FrameResampler.ResampledCount(31, 30, 6));
        Assert.Equal(9, FrameResampler.ResampledCount(5, 10, 20));
    }

    static void WriteImage(string path, int w, int h)
    {
        using var m = new Mat(h, w, MatType.CV_8UC3, new Scalar(10, 120, 200));
        Cv2.ImWrite(path, m);
    }
}
