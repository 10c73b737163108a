using ColorTrack.Contracts;
using ColorTrack.Datasets;
using ColorTrack.Evaluation;
using ColorTrack.Model;
using ColorTrack.Training;
using ColorTrack.Propagation;
using ColorTrack.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Benchmarks;

/// <summary>
/// fp32 against bfloat16 on this CPU (libtorch's oneDNN kernels; AVX-512 BF16 where the CPU has it), in
/// one invocation: the matrix-multiply rate of each, then the big pieces of tracking — the ImageNet
/// ResNet-18 encoder at 480p, the shipped model's encoder at its working size, one propagation step
/// against a full window — each as time, GFLOP/s and share of the matching matmul rate.
/// Then quality: J&amp;F on the validation split with each tracker in fp32 and in bf16 (goal: within 0.005).
/// Usage: bf16 [--threads T] [--repeats 5] [--frames 25] [--no-quality]
/// </summary>
public static class PrecisionBenchmark
{
    public static int Run(string[] args)
    {
        TorchRuntime.EnsureLoaded();
        int threads = BenchmarkArgs.Int(args, "--threads", Environment.ProcessorCount), repeats = BenchmarkArgs.Int(args, "--repeats", 5);
        torch.set_num_threads(threads);
        manual_seed(0);
        Console.WriteLine($"fp32 vs bf16, {threads} threads, medians of {repeats} runs after a warm-up");
        var peak = new Dictionary<ScalarType, double>();
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })
        {
            using var a = randn(2048, 2048).to(dtype); using var b = randn(2048, 2048).to(dtype);
            double s = Measure.Median(Measure.Seconds(() => { using var c = a.matmul(b); }, repeats, warmup: 2));
            peak[dtype] = 2.0 * 2048 * 2048 * 2048 / s / 1e9;
            Console.WriteLine($"  matmul 2048^3 {Name(dtype)}: {s * 1e3:F1} ms = {peak[dtype]:F0} GFLOP/s");
        }

        var config = ResNetConfig.ResNet18Layer3Stride8();
        using (var net = new ResNetBackbone(config))
        {
            net.eval();
            Row("imagenet18 encoder, 1 frame 856x480", EncoderFlops.ResNet(config, 480, 856), peak, repeats, dtype =>
            {
                net.to(dtype);
                var x = randn(1, 3, 480, 856).to(dtype);
                return () => { using var _ = no_grad(); using var y = net.forward(x); };
            });
        }
        var shipped = ShippedModel.TryLoadCheckpoint();
        if (shipped != null)
        {
            using var ckpt = ColorizationCheckpoint.Load(shipped);
            var model = ckpt.Model;
            var bb = model.Preset.Backbone;
            // FLOPs of the backbone only (the 3D head on each frame's 4-frame window adds to it): a lower bound.
            Row($"shipped model Embed ({model.Preset.Name}), 4 frames 512x288 (FLOPs: backbone only)", 4 * EncoderFlops.ResNet(bb, 288, 512), peak, repeats, dtype =>
            {
                model.to(dtype);
                var x = randn(4, bb.InChannels, 288, 512).to(dtype);
                return () => { using var y = model.Embed(x); };
            });
            model.to(ScalarType.Float32);
        }

        // One propagation step at 480p's grid (60 x 107, D = 256) against a full window, best settings.
        const int h = 60, w = 107, d = 256;
        var s0 = PropagationSettings.Best with { WindowStartsWithCopies = true };
        long refsPerTarget = (s0.Window + 1) * (long)Math.Pow(s0.TileSide + 2 * s0.Radius, 2); // a tile reads (tile + 2r)^2 cells of each frame
        Row("propagation step 60x107x256, window 20 + first, radius 12", EncoderFlops.Propagation(h * w, refsPerTarget, d), peak, repeats, dtype =>
        {
            var f0 = randn(d, h, w); var l0 = rand(2, h, w);
            var p = new LabelPropagator(f0, l0, s0 with { ComputeType = dtype });
            var f = randn(d, h, w);
            return () => p.Next(f).Dispose();
        });
        TileOps(s0, d, repeats);
        if (args.Contains("--no-quality")) return 0;

        // Quality: J&F on the validation split, tracked in each precision (same frames, same options).
        var root = SharedFolder.Path("data", "davis2016-train");
        var sequences = DavisDataset.Open(root, "train", "2016");
        int frames = BenchmarkArgs.Int(args, "--frames", 25);
        Console.WriteLine($"  J&F on davis2016-train (the validation split), {sequences.Count} sequences x first {frames} frames:");
        int failures = 0;
        using var factory = new TrackerFactory();
        var trackers = new List<(string Name, TrackerSpec Spec, double Scale)>();
        if (ShippedModel.TryLoadCheckpoint() != null)
        {
            var shippedSpec = factory.Resolve(TrackerSpec.Shipped);
            trackers.Add(("shipped model (its options, scale 0.6)", shippedSpec with { Scale = 1.0, ReferenceShortSide = null }, shippedSpec.Scale!.Value));
        }
        trackers.Add(("imagenet18 (crw options, 480p)", new TrackerSpec(TrackerSpec.ImageNet18) { Weights = SharedFolder.Path("weights", "resnet18_imagenet_v1_bnfolded_to_layer3.pth"), Settings = PropagationSettings.Crw, Scale = 1.0 }, 1.0));
        foreach (var (name, spec, scale) in trackers)
        {
            var settings = factory.Resolve(spec).Settings!;
            var validator = new DavisValidator(sequences, frames, scale, settings);
            var scores = new Dictionary<ScalarType, ValidationScore>();
            foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })
                scores[dtype] = validator.Score(factory.Create(spec with { Settings = settings with { ComputeType = dtype } }));
            double diff = scores[ScalarType.BFloat16].JAndF - scores[ScalarType.Float32].JAndF;
            bool ok = Math.Abs(diff) <= 0.005;
            if (!ok) failures++;
            Console.WriteLine($"    {name}: fp32 {scores[ScalarType.Float32].JAndF:F4} in {scores[ScalarType.Float32].Seconds:F0} s, bf16 {scores[ScalarType.BFloat16].JAndF:F4} in {scores[ScalarType.BFloat16].Seconds:F0} s: " +
                $"J&F {diff:+0.0000;-0.0000} ({(ok ? "within" : "NOT within")} 0.005), {scores[ScalarType.Float32].Seconds / scores[ScalarType.BFloat16].Seconds:F2}x faster");
        }
        return failures == 0 ? 0 : 1;
    }

    static void Row(string what, double flops, Dictionary<ScalarType, double> peak, int repeats, Func<ScalarType, Action> setup)
    {
        var secs = new Dictionary<ScalarType, double>();
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })
        {
            using var scope = NewDisposeScope();
            var body = setup(dtype);
            secs[dtype] = Measure.Median(Measure.Seconds(body, repeats, warmup: 1));
        }
        Console.WriteLine($"  {what}: {flops / 1e9:F1} GFLOP");
        foreach (var (dtype, s) in secs)
            Console.WriteLine($"    {Name(dtype)}: {s * 1e3:F0} ms = {flops / s / 1e9:F0} GFLOP/s = {flops / s / 1e9 / peak[ScalarType.Float32]:P0} of the fp32 matmul rate, {flops / s / 1e9 / peak[ScalarType.BFloat16]:P0} of bf16's");
        Console.WriteLine($"    bf16 / fp32 speed: {secs[ScalarType.Float32] / secs[ScalarType.BFloat16]:F2}x");
    }

    /// <summary>
    /// Where one tile's time goes (64 targets against 21 frames x 32 x 32 cells): copying the rectangles
    /// out of the reference buffer, the product, and the fused mask + top-k (<see cref="TopKMixer"/>),
    /// beside the tensor mask and top-k it replaced.
    /// </summary>
    static void TileOps(PropagationSettings s, int d, int repeats)
    {
        int b = s.TileSide * s.TileSide, side = s.TileSide + 2 * (int)s.Radius, frames = s.Window + 1, r = frames * side * side;
        var halfWidth = LabelPropagator.DiscHalfWidths(s.Radius);
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })
        {
            using var scope = NewDisposeScope();
            var keys = randn(frames, 60, 107, d).to(dtype);                              // [frames, h, w, D]: the reference buffer
            var buffer = empty(frames, side, side, d, dtype: dtype);
            var q = randn(b, d).to(dtype); var mask = rand(b, side * side).lt(0.5);
            var k = buffer.copy_(keys.narrow(1, 20, side).narrow(2, 40, side)).view(r, d);  // a tile in the middle of the frame
            Tensor logits = q.matmul(k.t());
            var mixer = new TopKMixer(60 * 107, s.TopK);
            double T(Action a) => Measure.Median(Measure.Seconds(a, repeats * 4, warmup: 2)) * 1e3;
            double gather = T(() => buffer.copy_(keys.narrow(1, 20, side).narrow(2, 40, side)));
            double product = T(() => { using var x = q.matmul(k.t()); });
            double fused = T(() => { mixer.Clear(); mixer.OfferDiscs(logits, 32, s.TileSide, 52, s.TileSide, 20, side, 40, side, 0, 60, 107, halfWidth); });
            double fill = T(() => logits.view(b, frames, side * side).masked_fill_(mask.logical_not().unsqueeze(1), double.NegativeInfinity));
            double topk = T(() => { var (v, i) = logits.topk(s.TopK, dim: -1); v.Dispose(); i.Dispose(); });
            Console.WriteLine($"    one tile ({b} targets x {r} references), {Name(dtype)}: rectangles copied {gather:F2} ms, product {product:F2} ms, " +
                $"fused mask + top-{s.TopK} {fused:F2} ms (the tensor mask {fill:F2} + top-{s.TopK} {topk:F2} ms it replaced) " +
                $"(x {Math.Ceiling(60 / (double)s.TileSide) * Math.Ceiling(107 / (double)s.TileSide)} tiles a frame)");
        }
    }

    static string Name(ScalarType t) => t == ScalarType.BFloat16 ? "bf16" : "fp32";
}
