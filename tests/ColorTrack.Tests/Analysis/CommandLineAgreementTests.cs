using System.Globalization;
using ColorTrack.Analysis;
using ColorTrack.Datasets;
using ColorTrack.Evaluation;
using ColorTrack.Runtime;
using ColorTrack.Synthetic;
using ColorTrack.Tests.Support;
using ColorTrack.Video;
using Xunit.Abstractions;

namespace ColorTrack.Tests.Analysis;

/// <summary>
/// Every tracker row that notebooks 05 and 06 and the demo show (<see cref="TrackerComparison.Standard"/>:
/// colorization with both inferences, both Lab-pixel pointers, identity, optical flow) is what a user gets by
/// hand: `colortrack track` with the row's <see cref="TrackerComparison.Entry.CommandLine"/>, then `eval-davis`
/// or `eval-pck`, gives the same J&amp;F and PCK to 1e-3 — on held-out synthetic videos (masks and the stick
/// figure's joints) and on real ones (the first frames of two DAVIS-2016 validation sequences, the JHMDB clip).
/// </summary>
public class CommandLineAgreementTests(ITestOutputHelper output)
{
    const double Tolerance = 1e-3;

    /// <summary>
    /// The command line computes with as many threads as the in-process comparison: in bfloat16 (auto, where the CPU has it)
    /// the sums' order follows the thread count, and at a keypoint zoom of 2 that moves a joint (PCK@0.1 15.19 at 2 threads,
    /// 15.56 at 1, measured on this test's videos).
    /// </summary>
    static string Threads => TorchSharp.torch.get_num_threads().ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void TrackerRows_AgreeWithTheCommandLine_OnSyntheticVideos()
    {
        TorchRuntime.EnsureLoaded();
        using var dir = new TempDir();
        var root = dir["heldout"];
        SyntheticVideoGenerator.WriteDataset(root, 2, new SyntheticVideoOptions(Width: 96, Height: 96, Frames: 10, Seed: 4242), "val");
        var checkpoint = ExampleData.Checkpoint();
        // The keypoints of the pointers that search within a radius on frames enlarged twice more, as `demo --keypoint-size` tracks them.
        var entries = TrackerComparison.WithKeypointZoom(TrackerComparison.Standard(checkpoint, ExampleData.TrackScale(checkpoint, 96), modelSettings: ExampleData.TrackingSettings(checkpoint)), 2);
        Assert.Contains(entries, e => e.KeypointSpec is not null);
        var sequences = DavisDataset.Open(root, "val", "2016");
        var (segments, keypoints) = new TrackerComparison(root, sequences, dir["in-process"]).Run(entries);
        Assert.Equal(entries.Count, keypoints.Count); // every synthetic video has a stick figure

        var worst = 0.0;
        foreach (var e in entries)
        {
            var masks = dir[Path.Combine("cli", e.Folder)];
            Cli(["track", "--davis", root, "--set", "val", "--out", masks, "--threads", Threads, .. e.TrackOptions]);
            worst = Math.Max(worst, Agree(e, "J&F", segments[e.Name].JAndFMean, DavisJAndF(root, masks)));
            var poses = dir[Path.Combine("cli-keypoints", e.Folder)];
            foreach (var s in sequences) // the joints read out on their figure, the first frame's mask, as the comparison does
                Cli(["track", "--frames", DavisDataset.FramesFolderOf(root, s.Name), "--keypoints", Path.Combine(root, "Keypoints", s.Name + ".json"),
                     "--mask", s.MaskPath(s.Frames[0]), "--out", poses, "--threads", Threads, .. e.KeypointTrackOptions]);
            var pck = Pck(root, poses);
            worst = Math.Max(worst, Agree(e, "PCK@0.1", keypoints[e.Name].Mean[0], pck[0], e.KeypointCommandLine));
            worst = Math.Max(worst, Agree(e, "PCK@0.2", keypoints[e.Name].Mean[1], pck[1], e.KeypointCommandLine));
        }
        output.WriteLine($"largest difference: {worst:G3}");
    }

    [SharedDataFact]
    public void TrackerRows_AgreeWithTheCommandLine_OnDavisAndJhmdb()
    {
        TorchRuntime.EnsureLoaded();
        using var dir = new TempDir();
        var checkpoint = ExampleData.Checkpoint();
        var settings = ExampleData.TrackingSettings(checkpoint);
        var worst = 0.0;

        // Notebook 05 on the validation split: the model at its working size, baselines at half size on 480p.
        var root = FirstFrames(SharedData.Path("data", "davis2016-train"), dir["davis"], ["bear", "kite-walk"], frames: 6);
        var sequences = DavisDataset.Open(root, "val", "2016");
        var entries = TrackerComparison.Standard(checkpoint, ExampleData.TrackScale(checkpoint, 480), baselineScale: 0.5, modelSettings: settings);
        var (segments, _) = new TrackerComparison(root, sequences, dir["in-process"]).Run(entries);
        foreach (var e in entries)
        {
            var masks = dir[Path.Combine("cli", e.Folder)];
            Cli(["track", "--davis", root, "--set", "val", "--out", masks, "--threads", Threads, .. e.TrackOptions]);
            worst = Math.Max(worst, Agree(e, "J&F (DAVIS)", segments[e.Name].JAndFMean, DavisJAndF(root, masks)));
        }

        // Notebook 06 on the JHMDB clip: the same trackers carry the first frame's joints.
        var jhmdb = SharedData.Path("data", "jhmdb-sample");
        var clip = ExampleData.Pose(Path.Combine(jhmdb, "Goal_Keeping_Tips_catch_f_cm_np1_fr_med_2"));
        var first = KeypointsFile.FromJhmdb(clip.Truth);
        foreach (var e in TrackerComparison.Standard(checkpoint, ExampleData.TrackScale(checkpoint, Math.Min(clip.Width, clip.Height)), modelSettings: settings))
        {
            var page = PckEvaluator.Evaluate([(clip.Truth, KeypointComparison.Track(e, clip.Open, first, clip.Truth.Clip))]);
            var poses = dir[Path.Combine("cli-jhmdb", e.Folder)];
            Cli(["track", "--frames", Path.Combine(jhmdb, clip.Truth.Clip), "--keypoints", Path.Combine(jhmdb, "joint_positions.mat"), "--out", poses, "--threads", Threads, .. e.TrackOptions]);
            var pck = Pck(jhmdb, poses);
            for (int a = 0; a < 5; a++) worst = Math.Max(worst, Agree(e, $"PCK@0.{a + 1} (JHMDB)", page.Mean[a], pck[a]));
        }
        output.WriteLine($"largest difference: {worst:G3}");
    }

    [Fact]
    public void TrackOptions_SayTheScaleThePresetAndWhatDiffersFromIt()
    {
        var entries = TrackerComparison.Standard("m.ctckpt", 0.25, baselineScale: 0.5, precision: ComputePrecision.Fp32).ToDictionary(e => e.Folder);
        Assert.Equal("--checkpoint m.ctckpt --scale 0.25 --preset paper", entries["colorization"].CommandLine);
        Assert.Equal("--encoder pixels --scale 0.5 --preset best", entries["pixels-best"].CommandLine);
        Assert.Equal("--method identity", entries["identity"].CommandLine);
        Assert.Equal("--method flow --scale 0.5", entries["flow"].CommandLine);
        // fp32 asked for where auto would choose bf16 (a CPU with bfloat16): the row says so.
        var best = entries["colorization-best"].CommandLine;
        Assert.StartsWith("--checkpoint m.ctckpt --scale 0.25 --preset best", best);
        Assert.Equal(ComputePrecision.CpuHasBFloat16, best.EndsWith("--precision fp32", StringComparison.Ordinal));
        var own = TrackerComparison.Standard("m.ctckpt", 1, modelSettings: ColorTrack.Propagation.PropagationSettings.Best with { Window = 7, TopK = 5 })[1];
        Assert.Equal("--checkpoint m.ctckpt --preset best --window 7 --topk 5", own.CommandLine);
    }

    [Fact]
    public void KeypointZoom_EnlargesTheRadiusPointersAndTheirRadius_TheRestAsTheyAre()
    {
        var standard = TrackerComparison.Standard("m.ctckpt", 2, baselineScale: 2, flowScale: 1, precision: ComputePrecision.Fp32);
        var zoomed = TrackerComparison.WithKeypointZoom(standard, 2).ToDictionary(e => e.Folder);
        // The best options search within 12 cells: at twice the size, 24 cells cover the same part of the frame.
        Assert.StartsWith("--checkpoint m.ctckpt --scale 4 --preset best --radius 24", zoomed["colorization-best"].KeypointCommandLine);
        Assert.StartsWith("--encoder pixels --scale 4 --preset best", zoomed["pixels-best"].KeypointCommandLine);
        Assert.Contains("--radius 24", zoomed["pixels-best"].KeypointCommandLine);
        foreach (var e in zoomed.Values) // the masks are tracked as before
            Assert.Equal(standard.Single(s => s.Folder == e.Folder).CommandLine, e.CommandLine);
        foreach (var unchanged in new[] { "colorization", "pixels", "identity", "flow" }) // whole-frame attention, and no pointer at all
        {
            Assert.Null(zoomed[unchanged].KeypointSpec);
            Assert.Equal(zoomed[unchanged].CommandLine, zoomed[unchanged].KeypointCommandLine);
        }
        Assert.All(TrackerComparison.WithKeypointZoom(standard, 1), e => Assert.Null(e.KeypointSpec));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrackerComparison.WithKeypointZoom(standard, 0.5));
    }

    double Agree(TrackerComparison.Entry e, string what, double page, double cli, string? commandLine = null)
    {
        commandLine ??= e.CommandLine;
        output.WriteLine($"{e.Name,-32} {what,-16} page {page:F4}  command line {cli:F4}   ({commandLine})");
        Assert.True(Math.Abs(page - cli) <= Tolerance, $"{e.Name}: {what} {page:F4} on the page, {cli:F4} from `colortrack track {commandLine}`");
        return Math.Abs(page - cli);
    }

    static void Cli(string[] args)
    {
        var r = CliProcess.Run(args);
        Assert.True(r.ExitCode == 0, $"colortrack {string.Join(' ', args)}\n{r.Stderr}\n{r.Stdout}");
    }

    static double DavisJAndF(string root, string results)
    {
        var csv = Path.Combine(results, "eval.csv");
        Cli(["eval-davis", "--davis", root, "--set", "val", "--year", "2016", "--results", results, "--out", csv]);
        var global = File.ReadAllLines(csv).Select(l => l.Split(',')).Single(c => c[0] == "Global");
        return double.Parse(global[2], CultureInfo.InvariantCulture);
    }

    /// <summary>Mean PCK@0.1..0.5 that eval-pck writes.</summary>
    static double[] Pck(string truthRoot, string results)
    {
        var csv = Path.Combine(results, "pck.csv");
        Cli(["eval-pck", "--jhmdb", truthRoot, "--results", results, "--out", csv]);
        var mean = File.ReadAllLines(csv).Select(l => l.Split(',')).Single(c => c[0] == "Mean");
        return mean.Skip(2).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>A DAVIS-2016 layout (set "val") of the first <paramref name="frames"/> frames of some sequences, linked, not copied.</summary>
    static string FirstFrames(string davis, string root, string[] names, int frames)
    {
        foreach (var s in DavisDataset.Open(davis, "train", "2016", names))
            foreach (var f in s.Frames.Take(frames))
            {
                var jpg = Path.Combine(root, "JPEGImages", "480p", s.Name, f + ".jpg");
                var png = Path.Combine(root, "Annotations", "480p", s.Name, f + ".png");
                Directory.CreateDirectory(Path.GetDirectoryName(jpg)!);
                Directory.CreateDirectory(Path.GetDirectoryName(png)!);
                File.CreateSymbolicLink(jpg, Path.Combine(s.FramesOrThrow(), f + ".jpg"));
                File.CreateSymbolicLink(png, s.MaskPath(f));
            }
        Directory.CreateDirectory(Path.Combine(root, "ImageSets", "2016"));
        File.WriteAllLines(Path.Combine(root, "ImageSets", "2016", "val.txt"), names);
        return root;
    }
}
