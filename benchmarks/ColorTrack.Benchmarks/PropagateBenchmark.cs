using ColorTrack.Datasets;
using ColorTrack.Evaluation;
using ColorTrack.Imaging;

namespace ColorTrack.Benchmarks;

/// <summary>
/// `colortrack track --encoder imagenet18` against CRW's published propagation code
/// (shared/peers/videowalk/run.sh: the same ImageNet ResNet-18 weights; 20 context frames + the first,
/// top-10, radius 12, T = 0.05, L2-normalised) on the same sequences of davis2016-train, both run as
/// processes in this invocation: wall time, seconds per tracked frame, peak RSS (each child's own), and
/// J&amp;F of both outputs scored by our evaluator. The sequences are cut to their first --frames frames
/// in a temporary DAVIS root (its annotations re-written as palette PNGs, which CRW's reader expects;
/// CRW also writes caches beside the annotations, so they must not be the shared ones).
/// Usage: propagate [--sequences a,b] [--frames 40] [--runs 3] [--peer-runs 1] [--preset crw|best]
///                  [--threads T] [--shared DIR] [--cli ColorTrack.Cli.dll] [--work DIR]
///        propagate --in-process ... | --profile   (where the time goes: see <see cref="PropagateBreakdown"/>)
/// </summary>
public static class PropagateBenchmark
{
    public static int Run(string[] args)
    {
        if (args.Contains("--in-process") || args.Contains("--profile")) return PropagateBreakdown.Run(args);
        var shared = BenchmarkArgs.String(args, "--shared", Environment.GetEnvironmentVariable("WORKBENCH_SHARED") ?? "../shared");
        var names = BenchmarkArgs.String(args, "--sequences", "bear,kite-walk").Split(',', StringSplitOptions.RemoveEmptyEntries);
        int frames = BenchmarkArgs.Int(args, "--frames", 40), runs = BenchmarkArgs.Int(args, "--runs", 3), peerRuns = BenchmarkArgs.Int(args, "--peer-runs", 1);
        int threads = BenchmarkArgs.Int(args, "--threads", Environment.ProcessorCount);
        var preset = BenchmarkArgs.String(args, "--preset", "crw");
        var cli = BenchmarkArgs.String(args, "--cli", RepositoryFile.FindUp(Path.Combine("lib", "ColorTrack.Cli", "bin", "Release", "net10.0", "ColorTrack.Cli.dll")) ?? "");
        var weights = Path.GetFullPath(Path.Combine(shared, "weights", "resnet18_imagenet_v1_bnfolded_to_layer3.pth"));
        var runSh = Path.GetFullPath(Path.Combine(shared, "peers", "videowalk", "run.sh"));
        if (!File.Exists(cli)) { Console.Error.WriteLine("propagate: ColorTrack.Cli.dll not found; build Release first or pass --cli"); return 2; }
        if (!File.Exists(weights)) { Console.Error.WriteLine($"propagate: {weights} not found (set WORKBENCH_SHARED or --shared)"); return 2; }

        var keep = BenchmarkArgs.String(args, "--work", "");
        var work = keep != "" ? Directory.CreateDirectory(keep) : Directory.CreateTempSubdirectory("colortrack-bench-propagate-");
        try
        {
            var truth = CutSequences(Path.Combine(shared, "data", "davis2016-train"), names, frames, Path.Combine(work.FullName, "root"));
            int tracked = truth.Sum(s => s.Frames.Count - 1);
            var root = Path.Combine(work.FullName, "root");
            Console.WriteLine($"propagate: {string.Join(", ", truth.Select(s => $"{s.Name} ({s.Frames.Count} frames)"))} of davis2016-train (the validation split), 854x480, " +
                $"{tracked} frames tracked per run, {threads} threads each");

            // Ours: the CLI as a user runs it.
            string[] ours = [cli, "track", "--davis", root, "--set", "val", "--encoder", "imagenet18", "--weights", weights,
                "--preset", preset, "--out", Path.Combine(work.FullName, "ours"), "--threads", threads.ToString()];
            var oursRuns = new List<ChildRun>();
            for (int i = 0; i < runs + 1; i++) // the first run warms the disk cache and is not counted
            {
                if (Directory.Exists(Path.Combine(work.FullName, "ours"))) Directory.Delete(Path.Combine(work.FullName, "ours"), recursive: true);
                var r = ChildProcess.Run("dotnet", ours);
                if (!r.Ok) { Console.Error.WriteLine($"propagate: colortrack track exited {r.ExitCode}:\n{r.Output}"); return 1; }
                if (i > 0) oursRuns.Add(r);
            }
            var oursScore = DavisEvaluator.Evaluate(truth, Path.Combine(work.FullName, "ours"));

            // CRW: its own script, the same thread count.
            var peerProblem = peerRuns < 1 ? "not asked for (--peer-runs 0)" : PeerProblem(runSh);
            var crwRuns = new List<ChildRun>();
            DavisEvaluation? crwScore = null;
            if (peerProblem == null)
            {
                var env = new Dictionary<string, string> { ["OMP_NUM_THREADS"] = threads.ToString(), ["MKL_NUM_THREADS"] = threads.ToString(), ["OPENBLAS_NUM_THREADS"] = threads.ToString() };
                for (int i = 0; i < peerRuns; i++)
                {
                    var outDir = Path.Combine(work.FullName, "crw");
                    if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
                    var r = ChildProcess.Run("bash", [runSh, root, string.Join(',', truth.Select(s => s.Name)), outDir], env);
                    if (!r.Ok) { peerProblem = $"CRW's run.sh exited {r.ExitCode}: {LastLine(r.Output)}"; break; }
                    crwRuns.Add(r);
                }
                if (peerProblem == null) crwScore = DavisEvaluator.Evaluate(truth, Path.Combine(work.FullName, "crw"));
            }

            Console.WriteLine();
            Console.WriteLine($"| | runs | wall time (median) | s per frame | peak RSS | J&F | {string.Join(" | ", truth.Select(s => s.Name))} |");
            Console.WriteLine($"|---|---|---|---|---|---|{string.Concat(truth.Select(_ => "---|"))}");
            Console.WriteLine(Line($"colortrack track (--preset {preset})", oursRuns, tracked, oursScore, truth));
            if (crwScore != null) Console.WriteLine(Line("CRW test.py (run.sh)", crwRuns, tracked, crwScore, truth));
            Console.WriteLine();
            if (peerProblem != null)
            {
                Console.WriteLine($"CRW could not run here: {peerProblem}. No ratio printed.");
                return 0;
            }
            double speed = Measure.Median(crwRuns.Select(r => r.Seconds).ToList()) / Measure.Median(oursRuns.Select(r => r.Seconds).ToList());
            double memory = crwRuns.Max(r => r.PeakMiB) / oursRuns.Max(r => r.PeakMiB);
            double gap = oursScore.JAndFMean - crwScore!.JAndFMean;
            Console.WriteLine($"colortrack vs CRW, both measured above: {speed:F1}x faster (goal >= 20), {memory:F1}x less memory (goal >= 8), " +
                $"J&F {oursScore.JAndFMean:F3} vs {crwScore.JAndFMean:F3} ({gap:+0.000;-0.000}; goal >= 0)");
            Console.WriteLine($"  CPU time: ours {Measure.Median(oursRuns.Select(r => r.CpuSeconds).ToList()):F0} s, CRW {Measure.Median(crwRuns.Select(r => r.CpuSeconds).ToList()):F0} s per run; load average now {Measure.LoadAverage()}");
            return speed >= 20 && memory >= 8 && gap >= 0 ? 0 : 1;
        }
        finally { if (keep == "") try { work.Delete(recursive: true); } catch { } }
    }

    /// <summary>A DAVIS root holding the first <paramref name="frames"/> frames of each sequence: JPEG links, palette annotations, image sets for 2016 and 2017.</summary>
    static IReadOnlyList<DavisSequence> CutSequences(string source, string[] names, int frames, string root)
    {
        foreach (var s in DavisDataset.Open(source, "train", "2016", names))
        {
            var jpg = Directory.CreateDirectory(Path.Combine(root, "JPEGImages", "480p", s.Name)).FullName;
            foreach (var f in s.Frames.Take(frames))
            {
                File.CreateSymbolicLink(Path.Combine(jpg, f + ".jpg"), Path.GetFullPath(Path.Combine(s.FramesOrThrow(), f + ".jpg")));
                MaskPng.Write(Path.Combine(root, "Annotations", "480p", s.Name, f + ".png"), MaskPng.Read(s.MaskPath(f)));
            }
        }
        foreach (var year in new[] { "2016", "2017" })
        {
            Directory.CreateDirectory(Path.Combine(root, "ImageSets", year));
            File.WriteAllLines(Path.Combine(root, "ImageSets", year, "val.txt"), names);
        }
        return DavisDataset.Open(root, "val", "2016");
    }

    /// <summary>Why CRW's code cannot run here, or null: its script, Debian's python3 with torch and torchvision.</summary>
    static string? PeerProblem(string runSh)
    {
        if (!File.Exists(runSh)) return $"{runSh} not found";
        if (!File.Exists("/usr/bin/python3")) return "/usr/bin/python3 not found";
        var probe = ChildProcess.Run("/usr/bin/python3", ["-c", "import torch, torchvision, imageio, cv2, scipy, skimage, sklearn, matplotlib"]);
        return probe.Ok ? null : $"its Python packages are missing ({LastLine(probe.Output)}; see the header of {runSh})";
    }

    static string Line(string who, List<ChildRun> runs, int tracked, DavisEvaluation score, IReadOnlyList<DavisSequence> truth)
    {
        double secs = Measure.Median(runs.Select(r => r.Seconds).ToList());
        var perSequence = truth.Select(s => score.Objects.Where(o => o.Sequence == s.Name).Average(o => o.JAndFMean).ToString("F3"));
        return $"| {who} | {runs.Count} | {secs:F1} s (min {runs.Min(r => r.Seconds):F1}) | {secs / tracked:F2} | {runs.Max(r => r.PeakMiB) / 1024:F2} GiB | {score.JAndFMean:F3} | {string.Join(" | ", perSequence)} |";
    }

    static string LastLine(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "";
}
