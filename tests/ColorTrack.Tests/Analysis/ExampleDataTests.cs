using ColorTrack.Analysis;
using ColorTrack.Model;
using ColorTrack.Propagation;
using ColorTrack.Runtime;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Analysis;

/// <summary>What notebooks 04-07 start from: the shipped model by default, its scale and options, the example videos.</summary>
public class ExampleDataTests
{
    public ExampleDataTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void Checkpoint_DefaultsToTheShippedModel_WithItsOwnTrackingOptions()
    {
        var shipped = ShippedModel.TryLoadCheckpoint();
        Assert.NotNull(shipped);                                   // models/ is in the repository
        var checkpoint = ExampleData.Checkpoint();
        Assert.Equal(Path.GetFullPath(shipped), Path.GetFullPath(checkpoint));
        Assert.True(ExampleData.IsShipped(checkpoint));
        var (scale, settings) = TrackerFactory.ManifestTracking(ShippedModel.Load().Manifest);
        Assert.Equal(settings, ExampleData.TrackingSettings(checkpoint));
        Assert.Equal("given.ctckpt", ExampleData.Checkpoint("given.ctckpt"));

        // The manifest's scale is relative to 480p: other sizes are brought to the same working size, never enlarged.
        Assert.Equal(scale, ExampleData.TrackScale(checkpoint, 480), 9);
        Assert.Equal(scale * 480 / 1080, ExampleData.TrackScale(checkpoint, 1080), 9);
        Assert.Equal(1.0, ExampleData.TrackScale(checkpoint, 128));
    }

    [Fact]
    public void Checkpoint_PaperName_IsThePaperModel_WithItsOwnTrackingOptions()
    {
        var (manifest, file) = ShippedModel.Load(ShippedModel.PaperName);
        var checkpoint = ExampleData.Checkpoint("paper");               // what a notebook's checkpointPath knob accepts
        Assert.Equal(Path.GetFullPath(file), Path.GetFullPath(checkpoint));
        Assert.NotEqual(Path.GetFullPath(ExampleData.Checkpoint()), Path.GetFullPath(checkpoint));
        Assert.True(ExampleData.IsShipped(checkpoint));
        var (scale, settings) = TrackerFactory.ManifestTracking(manifest);
        Assert.Equal(settings, ExampleData.TrackingSettings(checkpoint));
        Assert.Equal(scale, ExampleData.TrackScale(checkpoint, 480), 9);
        Assert.False(ExampleData.IsShipped("given.ctckpt"));
    }

    [Fact]
    public void Masked_KeepsTheAspectRatio_OnMultiplesOfTheStride()
    {
        using var dir = new TempDir();
        var names = ColorTrack.Synthetic.SyntheticVideoGenerator.WriteDataset(dir.Path, 1,
            new ColorTrack.Synthetic.SyntheticVideoOptions(Width: 96, Height: 54, Frames: 3, Seed: 1), "val");
        Assert.Equal(names, ExampleData.SequenceNames(dir.Path));
        var v = ExampleData.Masked(dir.Path, names[0], frames: 3, width: 64, multiple: 4);
        Assert.Equal(3, v.Frames.Count);
        Assert.Equal((64, 36), (v.Frames[0].Width, v.Frames[0].Height)); // 64 x 54/96 = 36
        Assert.All(v.Masks, m => Assert.Equal((64, 36), (m.Width, m.Height)));
        Assert.Throws<BadInputException>(() => ExampleData.SequenceNames(dir["missing"]));
    }
}
