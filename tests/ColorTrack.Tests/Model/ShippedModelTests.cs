using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Model;

public class ShippedModelTests
{
    public ShippedModelTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void RepositoryModel_MatchesItsManifest_AndLoadsAsItsPreset()
    {
        var manifestPath = Path.Combine(RepoRoot.Path, "models", ModelManifest.FileName);
        var manifest = ModelManifest.Load(manifestPath);
        var checkpoint = manifest.Verify(manifestPath);                 // SHA-256 of the committed file
        Assert.True(manifest.Bytes <= 10 * 1024 * 1024, $"{manifest.Bytes} bytes: over the 10 MB limit for committed models");
        using var ck = ColorizationCheckpoint.Load(checkpoint);
        Assert.Equal(manifest.Preset, ck.Preset.Name);
        Assert.Equal(manifest.Steps, ck.Step);
        Assert.Equal(manifest.Bins.SelectMany(b => b), ck.Centroids);
        Assert.False(ck.HasOptimizerState);
        Assert.True(File.Exists(Path.Combine(RepoRoot.Path, "models", "metrics.jsonl")));
    }
}
