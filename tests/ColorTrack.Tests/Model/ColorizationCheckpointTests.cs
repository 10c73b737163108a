using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Model;

public class ColorizationCheckpointTests
{
    public ColorizationCheckpointTests() => TorchRuntime.EnsureLoaded();

    static readonly float[] Centroids = [0f, 0f, 10f, -20f, 35.5f, 4f];

    [Fact]
    public void SaveThenLoad_RestoresPresetWeightsCentroidsStepAndOptimizer()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var model = new ColorizationModel(ColorizationPreset.Tiny);
        using var opt = optim.Adam(model.parameters(), lr: 1e-3);
        // One real step so the optimizer has state (moments) to save.
        var loss = model.forward(rand(new long[] { 2, 4, 1, 64, 64 })).square().mean();
        loss.backward();
        opt.step();
        ColorizationCheckpoint.Save(dir["a.ctckpt"], model, 17, Centroids, "{\"seed\":3}", opt);

        using var ck = ColorizationCheckpoint.Load(dir["a.ctckpt"]);
        Assert.Equal("tiny", ck.Preset.Name);
        Assert.Equal(ColorizationPreset.Tiny.Backbone.Widths, ck.Preset.Backbone.Widths);
        Assert.Equal(Centroids, ck.Centroids);
        Assert.Equal(17, ck.Step);
        Assert.Equal("{\"seed\":3}", ck.ConfigJson);
        Assert.True(ck.HasOptimizerState);
        var sdA = model.state_dict();
        foreach (var (k, v) in ck.Model.state_dict())
            Assert.True(v.equal(sdA[k]).all().item<bool>(), k);
        using var opt2 = optim.Adam(ck.Model.parameters(), lr: 1e-3);
        ck.RestoreOptimizer(opt2);
        Assert.Empty(Directory.GetFiles(dir.Path, "*" + AtomicFile.TempSuffix, SearchOption.AllDirectories));
    }

    [Fact]
    public void KilledMidWrite_PreviousCheckpointSurvives_AndTruncatedFileIsRefused()
    {
        using var dir = new TempDir();
        manual_seed(4);
        using var model = new ColorizationModel(ColorizationPreset.Tiny);
        var path = dir[ColorizationCheckpoint.FileName];
        ColorizationCheckpoint.Save(path, model, 10, Centroids, "{}");
        var good = File.ReadAllBytes(path);

        // A kill during the next save leaves only a stray temporary file beside the good checkpoint:
        // simulate it with a half-written temporary of a later step.
        File.WriteAllBytes(Path.Combine(dir.Path, $".{ColorizationCheckpoint.FileName}.123.abc{AtomicFile.TempSuffix}"), good.AsSpan(0, good.Length / 2).ToArray());
        using (var ck = ColorizationCheckpoint.Load(path)) Assert.Equal(10, ck.Step);

        // A save that throws midway (disk full, kill) never replaces the good file.
        Assert.ThrowsAny<Exception>(() => AtomicFile.Write(path, s => { s.Write(good, 0, 100); throw new IOException("killed"); }));
        using (var ck = ColorizationCheckpoint.Load(path)) Assert.Equal(10, ck.Step);

        // A truncated file (e.g. copied partially by hand) is refused with a one-line bad-input error.
        foreach (var cut in new[] { 10, good.Length / 3, good.Length - 5 })
        {
            File.WriteAllBytes(dir["cut.ctckpt"], good.AsSpan(0, cut).ToArray());
            var e = Assert.Throws<BadInputException>(() => ColorizationCheckpoint.Load(dir["cut.ctckpt"]));
            Assert.Contains("truncated", e.Message);
        }
    }

    [Fact]
    public void NotACheckpoint_IsBadInput()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["x.ctckpt"], "hello, I am a text file and not a checkpoint at all");
        var e = Assert.Throws<BadInputException>(() => ColorizationCheckpoint.Load(dir["x.ctckpt"]));
        Assert.Contains("x.ctckpt", e.Message);
        Assert.Throws<BadInputException>(() => ColorizationCheckpoint.Load(dir["missing.ctckpt"]));
    }
}
