using ColorTrack.Training;
using ColorTrack.Propagation;
using System.Text.Json;
using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Tests.Support;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Cli;

public class ExportModelCommandTests
{
    public ExportModelCommandTests() => TorchRuntime.EnsureLoaded();

    static readonly float[] Centroids = [0f, 0f, 30f, -10f];

    /// <summary>A finished-looking training run of the tiny preset: run.json, metrics, a checkpoint with optimizer state.</summary>
    static void WriteRun(string runDir, int steps)
    {
        Directory.CreateDirectory(runDir);
        manual_seed(9);
        using var model = new ColorizationModel(ColorizationPreset.Tiny);
        using var opt = optim.Adam(model.parameters(), lr: 1e-3);
        using (var scope = NewDisposeScope())
        {
            model.forward(rand(new long[] { 1, 4, 1, 64, 64 })).square().mean().backward();
            opt.step();
        }
        ColorizationCheckpoint.Save(Path.Combine(runDir, ColorizationCheckpoint.FileName), model, steps, Centroids, "{}", opt);
        new TrainingRun(new TrainingConfig { Preset = "tiny", Steps = 3, BatchSize = 2, LearningRate = 0.001, LearningRateDropStep = 2, Seed = 5 },
            Videos: null, BinsPath: "/somewhere/bins.json", SyntheticVideos: 4, Workers: 1).Save(runDir);
        File.WriteAllLines(Path.Combine(runDir, "metrics.jsonl"), Enumerable.Range(1, steps).Select(s =>
            $"{{\"step\":{s},\"loss\":{1.0 / s},\"lr\":0.001,\"clipsPerSecond\":10,\"wallSeconds\":{s * 36}}}"));
    }

    [Fact]
    public void Export_WritesWeightsOnlyModelAndManifest_ThatTrackLoadsAsDefault_AndATamperedFileIsRefused()
    {
        using var dir = new TempDir();
        WriteRun(dir["run"], steps: 100);
        var r = CliProcess.Run(["export-model", "--run", dir["run"], "--out", dir["models"], "--scale", "0.5", "--topk", "7"]);
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);

        var manifest = ModelManifest.Load(Path.Combine(dir["models"], ModelManifest.FileName));
        var model = Path.Combine(dir["models"], manifest.File);
        Assert.Equal(ModelManifest.Sha256Of(model), manifest.Sha256);
        Assert.Equal(new FileInfo(model).Length, manifest.Bytes);
        Assert.Equal("tiny", manifest.Preset);
        Assert.Equal(100, manifest.Steps);
        Assert.Equal(5, manifest.Seed);
        Assert.Equal(1.0, manifest.TrainingHours, 6);                                   // 100 steps x 36 s
        Assert.Equal(Enumerable.Range(1, 100).Average(s => 1.0 / s), manifest.FinalLoss, 9); // mean of the last 100
        Assert.Equal(new[] { new[] { 0f, 0f }, new[] { 30f, -10f } }, manifest.Bins);
        Assert.Contains("--preset tiny", manifest.Command);
        var (scale, settings) = TrackerFactory.ManifestTracking(manifest);
        Assert.Equal((0.5, 7), (scale, settings.TopK));
        Assert.Equal(PropagationSettings.Best with { TopK = 7 }, settings); // every other option as exported: the defaults
        Assert.True(File.Exists(Path.Combine(dir["models"], "metrics.jsonl")));
        // Weights only: about a third of the training checkpoint (no Adam moments), same weights.
        Assert.True(manifest.Bytes < new FileInfo(Path.Combine(dir["run"], ColorizationCheckpoint.FileName)).Length * 0.5);
        using (var exported = ColorizationCheckpoint.Load(model))
        using (var trained = ColorizationCheckpoint.Load(Path.Combine(dir["run"], ColorizationCheckpoint.FileName)))
        {
            Assert.False(exported.HasOptimizerState);
            var sd = trained.Model.state_dict();
            foreach (var (k, v) in exported.Model.state_dict()) Assert.True(v.equal(sd[k]).all().item<bool>(), k);
        }

        // `--checkpoint default` (and no encoder at all) finds it through COLORTRACK_MODELS.
        var env = new Dictionary<string, string> { [ShippedModel.EnvironmentVariable] = dir["models"] };
        var synth = CliProcess.Run(["synth", "--out", dir["data"], "--videos", "1", "--frames", "4", "--size", "64x64"]);
        Assert.True(synth.ExitCode == 0, synth.Stderr);
        var seq = Directory.GetDirectories(Path.Combine(dir["data"], "JPEGImages", "480p")).Single();
        var mask = Path.Combine(dir["data"], "Annotations", "480p", Path.GetFileName(seq), "00000.png");
        var track = CliProcess.Run(["track", "--frames", seq, "--mask", mask, "--out", dir["out"]], env);
        Assert.True(track.ExitCode == 0, track.Stderr + track.Stdout);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(dir["out"], Path.GetFileName(seq)), "*.png").Length);
        var provenance = File.ReadAllText(Path.Combine(dir["out"], Path.GetFileName(seq) + ".provenance.json"));
        Assert.Contains(manifest.Sha256, provenance);
        Assert.Contains("\"scale\": 0.5", provenance);

        // One flipped byte: one line naming the file and the mismatch, non-zero exit, nothing written.
        var bytes = File.ReadAllBytes(model);
        bytes[^100] ^= 0xFF;
        File.WriteAllBytes(model, bytes);
        var bad = CliProcess.Run(["track", "--checkpoint", "default", "--frames", seq, "--mask", mask, "--out", dir["out2"]], env);
        Assert.Equal(2, bad.ExitCode);
        var line = Assert.Single(bad.StderrLines);
        Assert.Contains(model, line);
        Assert.Contains("SHA-256 mismatch", line);
        Assert.False(Directory.Exists(dir["out2"]));
    }

    [Fact]
    public void Export_OfAFolderThatIsNotARun_IsOneLineError()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["empty"]);
        var r = CliProcess.Run(["export-model", "--run", dir["empty"], "--out", dir["models"]]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("run.json", Assert.Single(r.StderrLines));
        Assert.False(Directory.Exists(dir["models"]));
    }
}
