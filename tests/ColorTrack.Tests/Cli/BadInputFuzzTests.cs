using System.Text;
using ColorTrack.Color;
using ColorTrack.Datasets;
using ColorTrack.Imaging;
using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Synthetic;
using ColorTrack.Tests.Support;
using ColorTrack.Training;
using ColorTrack.Video;

namespace ColorTrack.Tests.Cli;

/// <summary>
/// Mutated real inputs of every kind the tools read — bit flips, truncations, overwritten blocks,
/// edited header fields — through the loader each command validates that kind with before any work
/// starts. Every mutation must either still load (a harmless change) or be refused as bad input: a
/// <see cref="BadInputException"/> naming the file, with a one-line problem; never another
/// exception, never a file written, never an unbounded allocation. Seeds are fixed, so a failure
/// names its seed and reproduces. A few mutations per kind also go through the real CLI process:
/// one line on stderr, exit code 2, nothing written.
/// </summary>
public class BadInputFuzzTests
{
    public BadInputFuzzTests() => TorchRuntime.EnsureLoaded();

    const int MutationsPerKind = 48;
    const long MaxManagedAllocationPerLoad = 512L << 20;  // a 4 MB input must not make the loader take half a GB

    /// <summary>An input kind: its file (or folder) name, a loader that reads it as the tools do, and its bytes.</summary>
    sealed record Kind(string Name, string FileName, Action<string> Load, bool IsText);

    static readonly string[] NumberEdits = ["-1", "0", "2000000000", "1e308", "-1e308", "NaN", "\"x\"", "null", "[]", "4000000"];

    [Fact]
    public void EveryInputKind_MutatedManyWays_LoadsOrIsRefusedInOneLine()
    {
        using var dir = new TempDir();
        var originals = WriteOriginals(dir);
        int total = 0, refused = 0;
        var failures = new List<string>();
        foreach (var (kind, bytes) in originals)
        {
            kind.Load(Path.Combine(dir.Path, "originals", kind.FileName)); // the unmutated input loads
            for (int seed = 0; seed < MutationsPerKind; seed++)
            {
                var mutated = Mutate(bytes, seed, kind.IsText);
                var caseDir = Path.Combine(dir.Path, "cases", $"{kind.Name}-{seed}");
                Directory.CreateDirectory(caseDir);
                var path = Path.Combine(caseDir, kind.FileName);
                File.WriteAllBytes(path, mutated);
                var before = Directory.GetFileSystemEntries(caseDir, "*", SearchOption.AllDirectories).Order().ToArray();
                long allocated = GC.GetAllocatedBytesForCurrentThread();
                total++;
                try { kind.Load(path); }
                catch (BadInputException e)
                {
                    refused++;
                    if (e.Message.Contains('\n')) failures.Add($"{kind.Name} seed {seed}: message has several lines: {e.Message}");
                    if (!e.Message.Contains(kind.FileName) && !e.Message.Contains(caseDir)) failures.Add($"{kind.Name} seed {seed}: message does not name the input: {e.Message}");
                }
                catch (Exception e)
                {
                    failures.Add($"{kind.Name} seed {seed}: {e.GetType().Name}: {ErrorText.FirstLine(e.Message)}");
                }
                long used = GC.GetAllocatedBytesForCurrentThread() - allocated;
                if (used > MaxManagedAllocationPerLoad) failures.Add($"{kind.Name} seed {seed}: allocated {used >> 20} MB for a {mutated.Length >> 10} KB input");
                var after = Directory.GetFileSystemEntries(caseDir, "*", SearchOption.AllDirectories).Order().ToArray();
                if (!after.SequenceEqual(before)) failures.Add($"{kind.Name} seed {seed}: the loader wrote {string.Join(", ", after.Except(before))}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {total} mutations broke the promise:\n" + string.Join("\n", failures.Take(40)));
        Assert.True(total >= 300, $"only {total} mutations");
        Assert.True(refused >= total / 4, $"only {refused} of {total} mutations were refused: the mutations are too gentle to test anything");
    }

    [Fact]
    public void MutatedInputs_ThroughTheCli_OneLineExitTwoNothingWritten()
    {
        using var dir = new TempDir();
        var originals = WriteOriginals(dir).ToDictionary(o => o.Kind.Name, o => o.Bytes);
        // For each kind, the command that reads it, with the file in place of the original.
        var cases = new (string Kind, Func<string, string[]> Args)[]
        {
            ("mask", p => ["track", "--frames", FramesOf(dir), "--mask", p, "--method", "identity", "--out", Path.Combine(dir.Path, "out-mask")]),
            ("keypoints-json", p => ["track", "--frames", FramesOf(dir), "--keypoints", p, "--method", "identity", "--out", Path.Combine(dir.Path, "out-kp")]),
            ("checkpoint", p => ["track", "--frames", FramesOf(dir), "--mask", Path.Combine(dir.Path, "originals", "mask.png"), "--checkpoint", p, "--out", Path.Combine(dir.Path, "out-ckpt")]),
            ("bins", p => ["train", "--videos", FramesOf(dir), "--bins", p, "--preset", "tiny", "--steps", "1", "--out", Path.Combine(dir.Path, "out-bins")]),
        };
        foreach (var (kind, args) in cases)
            for (int seed = 0; seed < 3; seed++)
            {
                var bytes = Mutate(originals[kind], 1000 + seed, kind is "keypoints-json" or "bins");
                var path = Path.Combine(dir.Path, $"{kind}-{seed}{Path.GetExtension(FileNameOf(kind))}");
                File.WriteAllBytes(path, bytes);
                var argv = args(path);
                var outDir = argv[Array.IndexOf(argv, "--out") + 1];
                var r = CliProcess.Run(argv);
                if (r.ExitCode == 0) { Directory.Delete(outDir, true); continue; } // a harmless mutation
                Assert.True(r.ExitCode == 2, $"{kind} seed {seed}: exit {r.ExitCode}: {r.Stderr}");
                Assert.True(r.StderrLines.Length == 1, $"{kind} seed {seed}: {r.StderrLines.Length} lines on stderr:\n{r.Stderr}");
                Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any(), $"{kind} seed {seed}: wrote into {outDir}");
            }
    }

    static string FramesOf(TempDir dir) => DavisDataset.FramesFolderOf(Path.Combine(dir.Path, "originals", "davis"), "synth");

    static string FileNameOf(string kind) => kind switch
    {
        "mask" => "mask.png", "keypoints-json" => "first.json", "checkpoint" => "model.ctckpt", "bins" => "bins.json", _ => kind,
    };

    /// <summary>The real inputs: a synthetic video's first mask, frames and keypoints, the shipped checkpoint, fitted bins, a run.json, a DAVIS image set.</summary>
    static List<(Kind Kind, byte[] Bytes)> WriteOriginals(TempDir dir)
    {
        var root = Path.Combine(dir.Path, "originals");
        Directory.CreateDirectory(root);
        var video = SyntheticVideoGenerator.Generate(new SyntheticVideoOptions(Width: 64, Height: 48, Frames: 3, Seed: 5));
        MaskPng.Write(Path.Combine(root, "mask.png"), video.Masks[0]);
        SyntheticVideoGenerator.WriteSequence(Path.Combine(root, "davis"), video);
        var first = new KeypointsFile(["a", "b"], [[new Keypoint(10, 12, true), new Keypoint(30.5f, 20, true)]]);
        first.Save(Path.Combine(root, "first.json"));
        File.WriteAllText(Path.Combine(root, "first.csv"), "frame,joint,x,y,visible\n0,a,10,12,1\n0,b,30.5,20,1\n");
        File.Copy(ShippedModel.TryLoadCheckpoint()!, Path.Combine(root, "model.ctckpt"));
        KMeansColorQuantizer.Fit(ColorTrack.Analysis.AbSamples.FromFrames(video.Frames, pixelStride: 2), new KMeansOptions(K: 4, Restarts: 1)).Save(Path.Combine(root, "bins.json"));
        var run = new TrainingRun(new TrainingConfig { Preset = "tiny", Steps = 10, BatchSize = 2 }, null, Path.Combine(root, "bins.json"), SyntheticVideos: 2, Workers: 1);
        run.Save(root);
        var jpeg = Directory.GetFiles(DavisDataset.FramesFolderOf(Path.Combine(root, "davis"), video.Name), "*.jpg").Order().First();
        File.Copy(jpeg, Path.Combine(root, "00000.jpg"));

        var kinds = new Kind[]
        {
            new("mask", "mask.png", p => MaskPng.Read(p), false),
            new("keypoints-json", "first.json", p => KeypointsFile.Load(p), true),
            new("keypoints-csv", "first.csv", p => KeypointsFile.Load(p), true),
            new("checkpoint", "model.ctckpt", p => { using var c = ColorizationCheckpoint.Load(p); }, false),
            new("bins", "bins.json", p => KMeansColorQuantizer.Load(p), true),
            new("run", "run.json", p => TrainingRun.Load(Path.GetDirectoryName(p)!).Validate(), true),
            new("frame", "00000.jpg", p => { using var s = FrameSources.Open(Path.GetDirectoryName(p)!); _ = s.Frames().ToList(); }, false),
        };
        return kinds.Select(k => (k, File.ReadAllBytes(Path.Combine(root, k.FileName)))).ToList();
    }

    /// <summary>One of four mutations, chosen and placed by <paramref name="seed"/>.</summary>
    static byte[] Mutate(byte[] original, int seed, bool text)
    {
        var rng = new Random(seed * 7919 + original.Length);
        var b = (byte[])original.Clone();
        switch (seed % 4)
        {
            case 0: // flip 1-8 bits
                for (int i = 0, n = 1 + rng.Next(8); i < n; i++) b[rng.Next(b.Length)] ^= (byte)(1 << rng.Next(8));
                return b;
            case 1: // truncate
                return b[..rng.Next(b.Length)];
            case 2: // overwrite a block with 0xFF
            {
                int len = Math.Min(b.Length, 1 + rng.Next(Math.Max(1, b.Length / 8)));
                int at = rng.Next(b.Length - len + 1);
                Array.Fill(b, (byte)0xFF, at, len);
                return b;
            }
            default: // edit a header field: a number in a text file (or in a binary file's text header) becomes an extreme
            {
                var s = Encoding.Latin1.GetString(b);
                var numbers = System.Text.RegularExpressions.Regex.Matches(s, @"-?\d+(\.\d+)?").Where(m => text || m.Index < 4096).ToList();
                if (numbers.Count == 0) { b[rng.Next(b.Length)] ^= 0x40; return b; }
                var m = numbers[rng.Next(numbers.Count)];
                var edit = NumberEdits[rng.Next(NumberEdits.Length)];
                return Encoding.Latin1.GetBytes(s[..m.Index] + edit + s[(m.Index + m.Length)..]);
            }
        }
    }
}
