using ColorTrack.Color;
using ColorTrack.Data;
using ColorTrack.Runtime;
using TorchSharp;

namespace ColorTrack.Benchmarks;

/// <summary>
/// The whole clip pipeline (decode + resample to 6 fps + resize + crop/flip + Lab + area-averaged
/// ab bins) on the shared videos, paper settings (B = 8 clips of 4 frames at 256x256, targets 32x32):
/// clips per second with 1 and 2 workers. "cold": the first 2 x batches batches of a fresh sampler,
/// which stream-decode every video they touch (with the defaults, 320 clips touch all 14 videos);
/// "warm": later batches, drawn from the decoded-frame cache. Usage: clips [--batches 20] [--repeats 3] [--batch 8].
/// </summary>
public static class ClipsBenchmark
{
    public static int Run(string[] args)
    {
        TorchRuntime.EnsureLoaded();
        OpenCvRuntime.EnsureLoaded();
        int batches = BenchmarkArgs.Int(args, "--batches", 20), repeats = BenchmarkArgs.Int(args, "--repeats", 3);
        int batchSize = BenchmarkArgs.Int(args, "--batch", 8);
        var folder = SharedFolder.Path("data", "videos");
        var videos = VideoSet.FromPaths(new[] { folder });
        var bins = KMeansColorQuantizer.Fit(AbSampleFile.Read(SharedFolder.Path("fixtures", "ab-samples.f32")), new KMeansOptions(Restarts: 1));
        Console.WriteLine($"clips: {videos.Count} videos, batch {batchSize} x 4 frames 256x256 -> bins 32x32, {Environment.ProcessorCount} cores");

        foreach (int workers in new[] { 1, 2 })
        {
            var o = ClipSamplerOptions.Paper with { BatchSize = batchSize, Workers = workers, Seed = 1 };
            // A fresh set each time: decoded frames live with the set, and "cold" must decode again.
            using var sampler = new ClipSampler(VideoSet.FromPaths(new[] { folder }), bins, o);
            // Cold: the first batches of a fresh sampler, which decode (stream) each video they touch.
            var watch = System.Diagnostics.Stopwatch.StartNew();
            int cold = 2 * batches;
            for (int i = 0; i < cold; i++) { using var b = sampler.Next(); }
            double coldRate = cold * batchSize / watch.Elapsed.TotalSeconds;
            var secs = Measure.Seconds(() => { for (int i = 0; i < batches; i++) { using var scope = torch.NewDisposeScope(); sampler.Next(); } }, repeats, warmup: 0);
            double warm = batches * batchSize / Measure.Median(secs);
            Console.WriteLine($"  {workers} worker(s): warm median {warm,7:F1} clips/s over {repeats} x {batches} batches; " +
                $"cold (first {cold} batches, decoding) {coldRate:F1} clips/s; cache {sampler.CachedBytes / 1048576.0:F0} MiB; peak RSS {Measure.PeakRssMiB():F0} MiB");
        }
        return 0;
    }
}
