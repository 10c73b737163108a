using System.Diagnostics;
using ColorTrack.Datasets;
using ColorTrack.Imaging;
using ColorTrack.Propagation;
using ColorTrack.Runtime;
using ColorTrack.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Benchmarks;

/// <summary>
/// Where propagation's time goes, in process: label propagation at full 480p with the ImageNet ResNet-18
/// encoder on the longest davis2016-train sequence, seconds per frame for the embedding and the
/// propagation separately (medians over the timed frames) and the process's peak RSS.
/// Usage: propagate --in-process [--settings paper|best|crw] [--frames N] [--skip S] [--threads T] [--shared DIR]
/// (one setting per process, so the peak RSS is that setting's); --profile: propagation alone by tile size.
/// </summary>
public static class PropagateBreakdown
{
    public static int Run(string[] args)
    {
        TorchRuntime.EnsureLoaded();
        var shared = BenchmarkArgs.String(args, "--shared", Environment.GetEnvironmentVariable("WORKBENCH_SHARED") ?? "../shared");
        int frames = BenchmarkArgs.Int(args, "--frames", 12), skip = BenchmarkArgs.Int(args, "--skip", 2);
        torch.set_num_threads(BenchmarkArgs.Int(args, "--threads", Environment.ProcessorCount));
        var which = BenchmarkArgs.String(args, "--settings", "best");
        if (args.Contains("--profile")) return Profile();
        var preset = which switch { "paper" => PropagationSettings.Paper, "crw" => PropagationSettings.Crw, _ => PropagationSettings.Best };
        var compute = ComputePrecision.Resolve(BenchmarkArgs.String(args, "--precision", ComputePrecision.Auto), cosineAffinities: preset.L2Normalize); // as track decides
        var settings = preset with { ComputeType = compute };
        var root = Path.Combine(shared, "data", "davis2016-train");
        var longest = DavisDataset.Open(root, "train", "2016").OrderByDescending(s => s.Frames.Count).First();
        using var source = FrameSources.Open(Path.Combine(root, "JPEGImages", "480p", longest.Name));
        var first = MaskPng.Read(longest.MaskPath(longest.Frames[0]));
        var categories = SegmentTracking.Categories(first, longest.Name);
        using var encoder = new ImageNetResNetEncoder(Path.Combine(shared, "weights", "resnet18_imagenet_v1_bnfolded_to_layer3.pth"), compute);

        double rssBefore = Measure.PeakRssMiB();
        var embed = new List<double>(); var propagate = new List<double>(); var decide = new List<double>(); var total = new List<double>();
        using var it = FrameTensors.From(source).Take(frames + skip + 1).GetEnumerator();
        it.MoveNext();
        LabelPropagator propagator;
        using (var scope = NewDisposeScope())
        using (var f0 = it.Current)
        {
            var e0 = encoder.Encode(f0.unsqueeze(0))[0];
            propagator = new LabelPropagator(e0, LabelGrid.Downsample(SegmentTracking.OneHot(first, categories), encoder.Stride), settings);
        }
        using (propagator)
            for (int t = 1; it.MoveNext(); t++)
            {
                using var scope = NewDisposeScope();
                using var frame = it.Current;
                var sw = Stopwatch.StartNew();
                var e = encoder.Encode(frame.unsqueeze(0))[0];
                double te = sw.Elapsed.TotalSeconds;
                var soft = propagator.Next(e);
                double tp = sw.Elapsed.TotalSeconds;
                var mask = SegmentTracking.Decide(LabelGrid.Upsample(soft, encoder.Stride, source.Height, source.Width), categories);
                double tt = sw.Elapsed.TotalSeconds;
                if (t > skip) { embed.Add(te); propagate.Add(tp - te); decide.Add(tt - tp); total.Add(tt); }
                GC.KeepAlive(mask);
            }
        double perFrame = Measure.Median(total), peakGiB = Measure.PeakRssMiB() / 1024;
        Console.WriteLine($"propagate {longest.Name} {source.Width}x{source.Height}, imagenet18, {which} settings ({Describe(settings)}), {ComputePrecision.Name(compute)}, {torch.get_num_threads()} threads, {total.Count} frames after {skip} warm-up:");
        Console.WriteLine($"  per frame: median {perFrame:F3} s (embedding {Measure.Median(embed):F3} s + propagation {Measure.Median(propagate):F3} s + up-sampling and argmax {Measure.Median(decide):F3} s) = {1 / perFrame:F2} frames/s");
        Console.WriteLine($"  peak RSS {peakGiB:F2} GiB (after model load {rssBefore / 1024:F2} GiB)");
        return 0;
    }

    /// <summary>Propagation alone on random 480p-sized embeddings (60x107x256, full context): where the time goes.</summary>
    static int Profile()
    {
        manual_seed(0);
        foreach (var (name, s) in new[] {
            ("best, tiles of 4", PropagationSettings.Best with { TileSide = 4 }),
            ("best, tiles of 8", PropagationSettings.Best with { TileSide = 8 }),
            ("best, tiles of 16", PropagationSettings.Best with { TileSide = 16 }),
        })
        {
            using var f0 = randn(256, 60, 107); using var l0 = rand(2, 60, 107);
            using var p = new LabelPropagator(f0, l0, s);
            for (int t = 0; t < 20; t++) { using var f = randn(256, 60, 107); p.Next(f).Dispose(); }
            var secs = Measure.Seconds(() => { using var f = randn(256, 60, 107); p.Next(f).Dispose(); }, repeats: 2, warmup: 0);
            Console.WriteLine($"{name}: {Measure.Median(secs):F3} s/frame");
        }
        return 0;
    }

    internal static string Describe(PropagationSettings s) =>
        $"T={s.Temperature}, window {s.Window}{(s.LongTermMemory ? " + first" : "")}, top-k {s.TopK}, radius {s.Radius}, L2 {s.L2Normalize}, chunk {s.ChunkMiB} MiB" +
        (s.RadiusSparesFirstFrame ? ", first frame outside the radius" : "") + (s.WindowStartsWithCopies ? ", window starts as copies" : "");
}
