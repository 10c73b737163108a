using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ColorTrack.Datasets;
using ColorTrack.Evaluation;
using ColorTrack.Imaging;

namespace ColorTrack.Benchmarks;

/// <summary>
/// `colortrack eval-davis` against the official DAVIS evaluator (shared/peers/davis2017-evaluation,
/// `evaluation_method.py --task semi-supervised`), both measured in this invocation, process start to
/// exit, on two data sets:
/// <list type="bullet">
/// <item>the 6 sequences of shared/data/davis2016-train (407 frames, one object each), with identity
///   predictions (every frame = the first ground-truth mask) written here with MaskPng;</item>
/// <item>shared/fixtures/davis-multi-object (4 sequences, 2-5 objects, ground truth + predictions).</item>
/// </list>
/// The official tool needs a DAVIS-2017 root, so each data set gets a temporary one (never inside the
/// shared folder): ImageSets/2017/&lt;set&gt;.txt; Annotations/480p as symlinks, except that DAVIS-2016's
/// gray 0/255 masks are rewritten as ids 0/1 by benchmarks/peers/davis2016_masks.py (the official code
/// reads 255 as void); JPEGImages/480p as a symlink where frames exist, else one empty &lt;frame&gt;.jpg
/// per ground-truth mask (the official code only globs them to count frames, it never reads them). Its
/// results folder is a folder of symlinks to the prediction sequences, and its two CSVs there are
/// deleted before every run (it silently reuses stale ones).
/// <para>
/// After one untimed warm-up of each, the two run alternately, <c>--runs</c> times each, every run in
/// a fresh wrapper process (<see cref="ChildProcess"/>): median wall and CPU time, peak RSS, and the
/// ratios official / ours of those measurements. Then every number of the official CSVs (global J&amp;F,
/// J and F mean, recall, decay; J and F mean per sequence and object) is compared with ours, at the
/// official CSVs' printed precision (they round to 3 decimals), and every per-object statistic and
/// per-frame J and F with the fixtures' full-precision official values (1e-6). Exit code 1 when any
/// value disagrees or a run fails. Without python3 or the evaluator folder it says so, prints our
/// figures alone and no ratio. Also times the in-process parts (PNG reading, scoring).
/// </para>
/// Usage: eval-davis [--runs 3] [--shared DIR] [--cli path/to/ColorTrack.Cli.dll] [--threads T] [--work DIR]
///   [--python /usr/bin/python3] [--official DIR]
/// </summary>
public static class EvalDavisBenchmark
{
    /// <summary>The official CSVs are written with float_format="%.3f": half a unit of the last digit, plus rounding slack.</summary>
    const double PrintedTolerance = 0.5e-3 + 1e-9;
    const double FullTolerance = 1e-6;
    /// <summary>Our CSV's per-object statistics and their names in the fixtures' JSON.</summary>
    static readonly (string Ours, string Fixture)[] Stats =
        [("J-Mean", "J_mean"), ("J-Recall", "J_recall"), ("J-Decay", "J_decay"), ("F-Mean", "F_mean"), ("F-Recall", "F_recall"), ("F-Decay", "F_decay")];

    /// <summary>One data set, as both sides see it.</summary>
    sealed record Case(string Name, string Set, int Sequences, int Frames, string[] OursArgs, string OursCsv,
        string OfficialRoot, string OfficialResults, string? Fixture, string FixturePrefix);

    public static int Run(string[] args)
    {
        int runs = Math.Max(1, BenchmarkArgs.Int(args, "--runs", 3));
        int threads = BenchmarkArgs.Int(args, "--threads", Environment.ProcessorCount);
        var shared = BenchmarkArgs.Optional(args, "--shared") ?? SharedRoot();
        var root = Path.Combine(shared, "data", "davis2016-train");
        var multiRoot = Path.Combine(shared, "fixtures", "davis-multi-object");
        var cli = BenchmarkArgs.Optional(args, "--cli") ?? RepositoryFile.FindUp(Path.Combine("lib", "ColorTrack.Cli", "bin", "Release", "net10.0", "ColorTrack.Cli.dll"));
        var python = BenchmarkArgs.Optional(args, "--python") ?? "/usr/bin/python3";
        var official = BenchmarkArgs.Optional(args, "--official") ?? Path.Combine(shared, "peers", "davis2017-evaluation");
        if (!Directory.Exists(root)) { Console.Error.WriteLine($"eval-davis: {root} not found (set WORKBENCH_SHARED or --shared)"); return 2; }
        if (cli == null || !File.Exists(cli)) { Console.Error.WriteLine("eval-davis: ColorTrack.Cli.dll not found; build Release first or pass --cli"); return 2; }

        var truth = DavisDataset.Open(root, "train", "2016");
        var keep = BenchmarkArgs.Optional(args, "--work"); // keep the predictions and outputs here (default: a temporary folder, removed)
        var work = keep != null ? Directory.CreateDirectory(keep) : Directory.CreateTempSubdirectory("colortrack-bench-davis-");
        try
        {
            var missing = OfficialMissing(python, official);
            var commit = missing == null && File.Exists(Path.Combine(official, "COMMIT")) ? File.ReadAllText(Path.Combine(official, "COMMIT")).Trim() : null;
            Console.WriteLine($"eval-davis: ours = dotnet {cli} eval-davis --threads {threads}");
            Console.WriteLine(missing == null
                ? $"  official = {python} evaluation_method.py --task semi-supervised (davis2017-evaluation{(commit != null ? " " + commit[..Math.Min(10, commit.Length)] : "")}, OMP/OPENBLAS threads {threads})"
                : $"  official DAVIS evaluator not run: {missing}; our figures alone, no ratio");
            Console.WriteLine($"  {runs} timed runs of each{(missing == null ? ", alternating," : "")} after one untimed warm-up; wall and CPU: medians; peak RSS: the largest of the timed runs");

            var cases = new List<Case> { PrepareDavis2016(truth, root, shared, cli, threads, work.FullName, missing == null, python) };
            if (Directory.Exists(Path.Combine(multiRoot, "ground-truth")) && Directory.Exists(Path.Combine(multiRoot, "prediction")))
                cases.Add(PrepareMultiObject(multiRoot, cli, threads, work.FullName, missing == null));
            else Console.WriteLine($"  {multiRoot}: not found, multi-object data set skipped");

            bool ok = true;
            foreach (var c in cases) ok &= RunCase(c, runs, threads, python, official, missing == null, work.FullName);

            // In-process parts of the davis2016-train case, for where the time goes.
            var paths = truth.SelectMany(s => s.Frames.Select(s.MaskPath)).ToArray();
            var (read, readCpu) = Timed(() => Parallel.ForEach(paths, new ParallelOptions { MaxDegreeOfParallelism = threads }, p => MaskPng.Read(p)));
            var firsts = truth.ToDictionary(s => s.Name, s => MaskPng.Read(s.MaskPath(s.Frames[0])));
            var (eval, evalCpu) = Timed(() => DavisEvaluator.Evaluate(truth, (s, _) => firsts[s.Name], threads: threads));
            Console.WriteLine($"in-process, davis2016-train (median of 3): read {paths.Length} ground-truth PNGs {read * 1e3:F0} ms wall / {readCpu * 1e3:F0} ms CPU; " +
                $"evaluate (reads ground truth + scores) {eval * 1e3:F0} ms wall / {evalCpu * 1e3:F0} ms CPU; load average now {Measure.LoadAverage()}");
            return ok ? 0 : 1;
        }
        finally { if (keep == null) try { work.Delete(recursive: true); } catch { } }
    }

    // ------------------------------------------------------------------ the two data sets

    static Case PrepareDavis2016(IReadOnlyList<DavisSequence> truth, string root, string shared, string cli, int threads, string work, bool official, string python)
    {
        var dir = Path.Combine(work, "davis2016-train");
        var pred = Path.Combine(dir, "pred");
        // Identity predictions: every frame = the first ground-truth mask, as palette PNGs.
        foreach (var s in truth)
        {
            var first = MaskPng.Read(s.MaskPath(s.Frames[0]));
            foreach (var f in s.Frames) MaskPng.Write(Path.Combine(pred, s.Name, f + ".png"), first);
        }
        var ours = Path.Combine(dir, "ours", "davis.csv");
        string[] oursArgs = [cli, "eval-davis", "--davis", root, "--results", pred, "--set", "train", "--year", "2016", "--out", ours, "--threads", threads.ToString(CultureInfo.InvariantCulture)];
        var officialRoot = Path.Combine(dir, "official-root");
        var officialResults = Path.Combine(dir, "official-results");
        if (official)
        {
            var names = truth.Select(s => s.Name).ToArray();
            // The 2016 masks are gray 0/255, which the 2017 code reads as void: ids 0/1, written by Pillow.
            var script = RepositoryFile.FindUp(Path.Combine("benchmarks", "peers", "davis2016_masks.py"))
                ?? throw new FileNotFoundException("benchmarks/peers/davis2016_masks.py not found above " + AppContext.BaseDirectory);
            var convert = ChildProcess.Run(python, [script, Path.Combine(root, "Annotations", "480p"), Path.Combine(officialRoot, "Annotations", "480p"), .. names]);
            if (!convert.Ok) throw new InvalidOperationException($"davis2016_masks.py exited {convert.ExitCode}:\n{convert.Output}");
            Directory.CreateDirectory(Path.Combine(officialRoot, "JPEGImages"));
            File.CreateSymbolicLink(Path.Combine(officialRoot, "JPEGImages", "480p"), Path.Combine(Path.GetFullPath(root), "JPEGImages", "480p"));
            WriteImageSet(officialRoot, "train", names);
            LinkSequences(officialResults, pred, names);
        }
        var fixture = Path.Combine(shared, "fixtures", "davis2016-train-official.json");
        return new Case("davis2016-train (identity predictions)", "train", truth.Count, truth.Sum(s => s.Frames.Count), oursArgs, ours,
            officialRoot, officialResults, File.Exists(fixture) ? fixture : null, "identity/");
    }

    static Case PrepareMultiObject(string fixtureRoot, string cli, int threads, string work, bool official)
    {
        var dir = Path.Combine(work, "davis-multi-object");
        var gt = Path.Combine(fixtureRoot, "ground-truth");
        var pred = Path.Combine(fixtureRoot, "prediction");
        var truth = DavisDataset.Open(gt); // a plain folder of sequences
        var ours = Path.Combine(dir, "ours", "davis.csv");
        string[] oursArgs = [cli, "eval-davis", "--davis", gt, "--results", pred, "--out", ours, "--threads", threads.ToString(CultureInfo.InvariantCulture)];
        var officialRoot = Path.Combine(dir, "official-root");
        var officialResults = Path.Combine(dir, "official-results");
        if (official)
        {
            var names = truth.Select(s => s.Name).ToArray();
            LinkSequences(Path.Combine(officialRoot, "Annotations", "480p"), gt, names);
            // No frames in the fixture: the official code globs JPEGImages/480p/<seq>/*.jpg only to count
            // frames (one per mask), so empty files named like the masks stand in for them.
            foreach (var s in truth)
            {
                var frames = Directory.CreateDirectory(Path.Combine(officialRoot, "JPEGImages", "480p", s.Name)).FullName;
                foreach (var f in s.Frames) File.WriteAllBytes(Path.Combine(frames, f + ".jpg"), []);
            }
            WriteImageSet(officialRoot, "val", names);
            LinkSequences(officialResults, pred, names);
        }
        var fixture = Path.Combine(fixtureRoot, "official-metrics.json");
        return new Case("davis-multi-object (fixture predictions)", "val", truth.Count, truth.Sum(s => s.Frames.Count), oursArgs, ours,
            officialRoot, officialResults, File.Exists(fixture) ? fixture : null, "");
    }

    static void WriteImageSet(string davisRoot, string set, IEnumerable<string> names)
    {
        var folder = Directory.CreateDirectory(Path.Combine(davisRoot, "ImageSets", "2017")).FullName;
        File.WriteAllLines(Path.Combine(folder, set + ".txt"), names);
    }

    static void LinkSequences(string folder, string source, IEnumerable<string> names)
    {
        Directory.CreateDirectory(folder);
        foreach (var n in names) File.CreateSymbolicLink(Path.Combine(folder, n), Path.Combine(Path.GetFullPath(source), n));
    }

    // ------------------------------------------------------------------ timing

    static bool RunCase(Case c, int runs, int threads, string python, string official, bool withOfficial, string work)
    {
        Console.WriteLine($"{c.Name}: {c.Sequences} sequences, {c.Frames} frames");
        var globalCsv = Path.Combine(c.OfficialResults, $"global_results-{c.Set}.csv");
        var perSequenceCsv = Path.Combine(c.OfficialResults, $"per-sequence_results-{c.Set}.csv");
        string[] officialArgs = ["evaluation_method.py", "--task", "semi-supervised", "--set", c.Set, "--davis_path", c.OfficialRoot, "--results_path", c.OfficialResults];
        var officialEnv = new Dictionary<string, string>
        {
            ["PYTHONPYCACHEPREFIX"] = Path.Combine(work, "pycache"), // bytecode caches here, never in the shared folder
            ["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture),
            ["OPENBLAS_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture),
        };

        ChildRun? RunOurs()
        {
            var r = ChildProcess.Run("dotnet", c.OursArgs);
            if (r.Ok && File.Exists(c.OursCsv)) return r;
            Console.WriteLine($"  ours failed (exit {r.ExitCode}):\n{r.Output}");
            return null;
        }
        ChildRun? RunOfficial()
        {
            File.Delete(globalCsv); File.Delete(perSequenceCsv); // it would reuse them instead of evaluating
            var r = ChildProcess.Run(python, officialArgs, officialEnv, official);
            if (r.Ok && File.Exists(globalCsv) && File.Exists(perSequenceCsv)) return r;
            Console.WriteLine($"  official failed (exit {r.ExitCode}, CSVs {(File.Exists(globalCsv) ? "" : "not ")}written):\n{r.Output}");
            return null;
        }

        var ours = new List<ChildRun>();
        var theirs = new List<ChildRun>();
        if (RunOurs() == null || (withOfficial && RunOfficial() == null)) return false; // warm-ups: disk cache, JIT, bytecode
        for (int i = 0; i < runs; i++)
        {
            if (RunOurs() is not { } o) return false;
            ours.Add(o);
            if (!withOfficial) continue;
            if (RunOfficial() is not { } t) return false;
            theirs.Add(t);
        }
        var (oursWall, oursCpu, oursPeak) = Summary(ours);
        Console.WriteLine($"  ours     wall {oursWall:F3} s (min {ours.Min(r => r.Seconds):F3}, max {ours.Max(r => r.Seconds):F3}), CPU {oursCpu:F3} s, peak RSS {oursPeak:F0} MiB");
        if (withOfficial)
        {
            var (wall, cpu, peak) = Summary(theirs);
            Console.WriteLine($"  official wall {wall:F3} s (min {theirs.Min(r => r.Seconds):F3}, max {theirs.Max(r => r.Seconds):F3}), CPU {cpu:F3} s, peak RSS {peak:F0} MiB");
            Console.WriteLine($"  official / ours: wall {wall / oursWall:F2}x, CPU {cpu / oursCpu:F2}x, peak RSS {peak / oursPeak:F2}x; load average now {Measure.LoadAverage()}");
        }
        var global = ours[^1].Output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("Global", StringComparison.Ordinal))?.Trim();
        if (global != null) Console.WriteLine($"  ours: {global}");

        // Every number, both sides.
        var table = DavisResultCsv.ReadOurs(c.OursCsv);
        bool ok = true;
        if (withOfficial)
        {
            var cmp = new Comparison(PrintedTolerance);
            var (header, values) = DavisResultCsv.ReadOfficialGlobal(globalCsv);
            var oursGlobal = table.Global;
            for (int i = 0; i < header.Length; i++)
                cmp.Add($"global {header[i]}", oursGlobal.GetValueOrDefault(header[i], double.NaN), values[i], oursGlobal.ContainsKey(header[i]));
            var perObject = DavisResultCsv.ReadOfficialPerSequence(perSequenceCsv);
            foreach (var (key, (j, f)) in perObject)
            {
                bool has = table.Objects.TryGetValue(key, out var row);
                cmp.Add($"{key} J-Mean", has ? row!["J-Mean"] : double.NaN, j, has);
                cmp.Add($"{key} F-Mean", has ? row!["F-Mean"] : double.NaN, f, has);
            }
            foreach (var key in table.Objects.Keys.Where(k => !perObject.ContainsKey(k))) cmp.Missing($"{key}: ours only");
            ok &= cmp.Report($"vs official CSVs ({header.Length} global + J/F mean of {perObject.Count} objects)",
                "identical at the official CSVs' printed precision (they round to 3 decimals; every |difference| <= 5e-4)");
        }
        if (c.Fixture != null)
        {
            var cmp = new Comparison(FullTolerance);
            var perFrame = DavisResultCsv.ReadOursPerFrame(Path.ChangeExtension(c.OursCsv, null) + "-per-frame.csv");
            using var doc = JsonDocument.Parse(File.ReadAllText(c.Fixture));
            int objects = 0;
            foreach (var seq in doc.RootElement.EnumerateObject().Where(p => p.Name.StartsWith(c.FixturePrefix, StringComparison.Ordinal)))
                foreach (var obj in seq.Value.GetProperty("objects").EnumerateArray())
                {
                    var key = $"{seq.Name[c.FixturePrefix.Length..]}_{obj.GetProperty("object").GetInt32()}";
                    bool has = table.Objects.TryGetValue(key, out var row);
                    objects++;
                    foreach (var (stat, name) in Stats)
                        cmp.Add($"{key} {stat}", has ? row![stat] : double.NaN, obj.GetProperty(name).GetDouble(), has);
                    foreach (var m in new[] { "J", "F" })
                    {
                        var expected = obj.GetProperty(m).EnumerateArray().Select(e => e.GetDouble()).ToArray();
                        var got = perFrame.GetValueOrDefault((key, m), []);
                        if (got.Count != expected.Length) cmp.Missing($"{key} {m}: {got.Count} frames here, {expected.Length} in the fixture");
                        for (int i = 0; i < Math.Min(got.Count, expected.Length); i++) cmp.Add($"{key} {m}[{i}]", got[i], expected[i], true);
                    }
                }
            ok &= cmp.Report($"vs {Path.GetFileName(c.Fixture)} (official values at full precision: 6 statistics of {objects} objects + per-frame J, F)",
                $"identical within {FullTolerance:0e0}");
        }
        return ok;
    }

    /// <summary>$WORKBENCH_SHARED, else ../shared beside the working folder (as <see cref="SharedFolder"/>).</summary>
    static string SharedRoot() => Environment.GetEnvironmentVariable("WORKBENCH_SHARED") is { Length: > 0 } root
        ? root : Path.Combine(Directory.GetCurrentDirectory(), "..", "shared");

    static (double Wall, double Cpu, double PeakMiB) Summary(List<ChildRun> runs) =>
        (Measure.Median(runs.Select(r => r.Seconds).ToList()), Measure.Median(runs.Select(r => r.CpuSeconds).ToList()), runs.Max(r => r.PeakMiB));

    /// <summary>Why the official evaluator cannot run here, or null when it can.</summary>
    static string? OfficialMissing(string python, string folder)
    {
        if (!ChildProcess.Exists(python)) return $"{python} not found";
        if (!File.Exists(Path.Combine(folder, "evaluation_method.py"))) return $"{Path.Combine(folder, "evaluation_method.py")} not found";
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", "import numpy, scipy, skimage, cv2, PIL, pandas, tqdm" }) psi.ArgumentList.Add(a);
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? null : $"its Python packages are missing ({err.Result.Trim().Split('\n')[^1]})";
    }

    // ------------------------------------------------------------------ the numbers

    /// <summary>Values compared against a reference with one tolerance; prints one line.</summary>
    // ------------------------------------------------------------------ helpers

    /// <summary>Median wall and CPU seconds of 3 runs after a warm-up (CPU time is robust to a busy machine).</summary>
    static (double Wall, double Cpu) Timed(Action body)
    {
        body();
        var wall = new List<double>(); var cpu = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            var c0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            body();
            wall.Add(sw.Elapsed.TotalSeconds);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - c0).TotalSeconds);
        }
        return (Measure.Median(wall), Measure.Median(cpu));
    }
}
