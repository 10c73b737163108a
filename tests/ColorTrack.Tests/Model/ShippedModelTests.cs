using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Model;

public class ShippedModelTests
{
    public ShippedModelTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData(ShippedModel.DefaultName, "")]
    [InlineData(ShippedModel.PaperName, "paper")]
    public void RepositoryModel_MatchesItsManifest_AndLoadsAsItsPreset(string name, string folder)
    {
        var manifestPath = Path.Combine(RepoRoot.Path, "models", folder, ModelManifest.FileName);
        // Found above the running binaries: the build output's copy of the repository's manifest, or the repository's own.
        Assert.Equal(File.ReadAllBytes(manifestPath), File.ReadAllBytes(ShippedModel.FindManifest(name)!));
        var manifest = ModelManifest.Load(manifestPath);
        var checkpoint = manifest.Verify(manifestPath);                 // SHA-256 of the committed file
        Assert.True(manifest.Bytes <= 10 * 1024 * 1024, $"{manifest.Bytes} bytes: over the 10 MB limit for committed models");
        using var ck = ColorizationCheckpoint.Load(checkpoint);
        Assert.Equal(manifest.Preset, ck.Preset.Name);
        Assert.Equal(manifest.Steps, ck.Step);
        Assert.Equal(manifest.Bins.SelectMany(b => b), ck.Centroids);
        Assert.False(ck.HasOptimizerState);
        Assert.True(File.Exists(Path.Combine(RepoRoot.Path, "models", folder, "metrics.jsonl")));
    }

    [Fact]
    public void CheckpointArgument_NamesAShippedModel_OrIsAPath()
    {
        var (paper, paperManifest) = ShippedModel.Resolve("paper");
        var (best, bestManifest) = ShippedModel.Resolve("Default");
        Assert.NotEqual(Path.GetFullPath(best), Path.GetFullPath(paper));
        // The paper's own objective: gray input, colour bins, cross-entropy.
        Assert.Equal("bins", paperManifest!.Objective);
        using (var ck = ColorizationCheckpoint.Load(paper)) Assert.Equal(1, ck.Model.InputChannels);
        Assert.Equal("lab", bestManifest!.Objective);
        Assert.Equal(("runs/paper.ctckpt", (ModelManifest?)null), ShippedModel.Resolve("runs/paper.ctckpt"));
    }
}
