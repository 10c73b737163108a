using System.Text.RegularExpressions;

namespace ColorTrack.Benchmarks;

/// <summary>
/// How cost grows with the work: `colortrack track` (the shipped model, as a user runs it on an mp4,
/// overlay video included) on synthetic clips (<see cref="ScalingClip"/>) of growing length at 480p,
/// and of growing size at a fixed length. Each case is one process: wall time, seconds per frame,
/// microseconds per working pixel per frame, and its own peak RSS. Goals: time linear in length,
/// memory flat in length (a 5,000-frame clip within 1.3x of a 100-frame one's peak).
/// The length cases run at an explicit --length-scale (default 0.25 of 854x480, so 5,000 frames take
/// minutes, not an hour: what is measured is how cost grows, not the absolute cost); the size cases at
/// the shipped model's own working size (its scale refers to a 480 px short side, so 720p and 1080p
/// clips are tracked at about the 480p working size — only decoding, resizing and writing grow).
/// Usage: scaling [--lengths 100,1000,5000] [--length-scale 0.25] [--sizes 480,720,1080] [--size-frames 100]
///                [--threads T] [--cli ColorTrack.Cli.dll] [--work DIR]
/// </summary>
public static class ScalingBenchmark
{
    sealed record Case(string Name, int Width, int Height, int Frames, double? Scale);

    public static int Run(string[] args)
    {
        var lengths = Ints(BenchmarkArgs.String(args, "--lengths", "100,1000,5000"));
        var sizes = Ints(BenchmarkArgs.String(args, "--sizes", "480,720,1080"));
        double lengthScale = double.Parse(BenchmarkArgs.String(args, "--length-scale", "0.25"), System.Globalization.CultureInfo.InvariantCulture);
        int sizeFrames = BenchmarkArgs.Int(args, "--size-frames", 100);
        int threads = BenchmarkArgs.Int(args, "--threads", Environment.ProcessorCount);
        var cli = BenchmarkArgs.String(args, "--cli", RepositoryFile.FindUp(Path.Combine("lib", "ColorTrack.Cli", "bin", "Release", "net10.0", "ColorTrack.Cli.dll")) ?? "");
        if (!File.Exists(cli)) { Console.Error.WriteLine("scaling: ColorTrack.Cli.dll not found; build Release first or pass --cli"); return 2; }
        var keep = BenchmarkArgs.String(args, "--work", "");
        var work = keep != "" ? Directory.CreateDirectory(keep) : Directory.CreateTempSubdirectory("colortrack-bench-scaling-");

        var cases = lengths.Select(n => new Case($"{n} frames, 854x480", 854, 480, n, lengthScale))
            .Concat(sizes.Select(s => (int)Math.Round(s * 16 / 9.0 / 2) * 2 is var w ? new Case($"{sizeFrames} frames, {w}x{s}", w, s, sizeFrames, null) : null!)).ToList();
        Console.WriteLine($"scaling: colortrack track, shipped model, {threads} threads; length cases at --scale {lengthScale}, size cases at the model's working size");
        Console.WriteLine();
        Console.WriteLine("| case | tracked at | wall time | s per frame | µs per working pixel-frame | peak RSS | peak / first case of its kind |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        try
        {
            var firstPeak = new Dictionary<bool, double>();
            var lengthRows = new List<(int Frames, double Seconds, double Peak)>();
            foreach (var c in cases)
            {
                var (video, mask) = ScalingClip.Write(Path.Combine(work.FullName, "clips"), c.Width, c.Height, c.Frames);
                var outDir = Path.Combine(work.FullName, "out");
                if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
                var cmd = new List<string> { cli, "track", "--frames", video, "--mask", mask, "--out", outDir, "--threads", threads.ToString() };
                if (c.Scale is double s) cmd.AddRange(["--scale", s.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                var r = ChildProcess.Run("dotnet", cmd);
                if (!r.Ok) { Console.Error.WriteLine($"scaling: track exited {r.ExitCode} on {c.Name}:\n{r.Output}"); return 1; }
                var m = Regex.Match(r.Output, @"frames at (\d+)x(\d+)");
                var (w, h) = m.Success ? (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value)) : (c.Width, c.Height);
                bool isLength = c.Scale != null;
                firstPeak.TryAdd(isLength, r.PeakMiB);
                double perFrame = r.Seconds / (c.Frames - 1);
                Console.WriteLine($"| {c.Name} | {w}x{h} | {r.Seconds:F1} s | {perFrame:F3} | {perFrame / ((double)w * h) * 1e6:F2} | {r.PeakMiB:F0} MiB | {r.PeakMiB / firstPeak[isLength]:F2}x |");
                if (isLength) lengthRows.Add((c.Frames, r.Seconds, r.PeakMiB));
                File.Delete(video);
            }
            Console.WriteLine();
            if (lengthRows.Count >= 2)
            {
                var (a, b) = (lengthRows[0], lengthRows[^1]);
                // Linear in length: the time per frame beyond the fixed start-up cost (model load, first frame).
                double marginal = (b.Seconds - a.Seconds) / (b.Frames - a.Frames), fixedCost = a.Seconds - marginal * a.Frames;
                Console.WriteLine($"length: {marginal:F3} s per extra frame, {fixedCost:F1} s fixed (start-up); " +
                    $"the middle cases predicted by that line within {lengthRows.Skip(1).SkipLast(1).Select(x => Math.Abs(fixedCost + marginal * x.Frames - x.Seconds) / x.Seconds).DefaultIfEmpty(0).Max():P0}; " +
                    $"peak RSS at {b.Frames} frames = {b.Peak / a.Peak:F2}x that at {a.Frames} (goal <= 1.3)");
                return b.Peak / a.Peak <= 1.3 ? 0 : 1;
            }
            return 0;
        }
        finally { if (keep == "") try { work.Delete(recursive: true); } catch { } }
    }

    static int[] Ints(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
}
