using ColorTrack.Datasets;
using ColorTrack.Propagation;
using ColorTrack.Runtime;
using ColorTrack.Synthetic;
using ColorTrack.Tests.Support;
using TorchSharp;

namespace ColorTrack.Tests.Runtime;

/// <summary>
/// A tensor made outside every dispose scope is kept alive by nothing while TorchSharp passes its
/// handle on: in a chain such as <c>x.argmax(0).to(Byte)</c> the garbage collector may finalize the
/// temporary argmax while libtorch reads it (seen in CI as garbage labels and "Unsupported TypeMeta").
/// Inside a scope, the scope holds every tensor. So the library's work loops make no tensor outside
/// one, even when the caller (the CLI, a notebook) opened none; these tests count, with TorchSharp's
/// own per-thread statistics, what a caller without a scope sees.
/// </summary>
public class DisposeScopeCoverageTests
{
    public DisposeScopeCoverageTests() => TorchRuntime.EnsureLoaded();

    static readonly SyntheticVideo Video = SyntheticVideoGenerator.Generate(new SyntheticVideoOptions(Width: 64, Height: 48, Frames: 6, Objects: 2, Seed: 3));

    [Theory]
    [InlineData(TrackerSpec.Identity)]
    [InlineData(TrackerSpec.Flow)]
    [InlineData(TrackerSpec.Pixels)]
    public void SegmentTracking_MakesNoTensorOutsideADisposeScope(string kind)
    {
        using var dir = new TempDir();
        using var factory = new TrackerFactory();
        var tracker = factory.Create(new TrackerSpec(kind) { Scale = kind == TrackerSpec.Flow ? 0.5 : 1.0 }); // the rescaling path too
        AssertNoTensorOutsideAScope(kind, () => SegmentTracking.Run(tracker, Video.AsFrameSource(), Video.Masks[0], "first.png", dir["out"]));
    }

    [Fact]
    public void ModelTracking_MakesNoTensorOutsideADisposeScope()
    {
        using var dir = new TempDir();
        using var model = new ColorTrack.Model.ColorizationModel(ColorTrack.Model.ColorizationPreset.Tiny);
        using var factory = new TrackerFactory();
        var tracker = factory.Create(model, PropagationSettings.Best);
        AssertNoTensorOutsideAScope("model", () => SegmentTracking.Run(tracker, Video.AsFrameSource(), Video.Masks[0], "first.png", dir["out"]));
    }

    [Fact]
    public void KeypointTracking_MakesNoTensorOutsideADisposeScope()
    {
        using var factory = new TrackerFactory();
        var tracker = factory.Create(new TrackerSpec(TrackerSpec.Pixels));
        var first = new KeypointsFile(["a", "b"], [[new Keypoint(20, 20, true), new Keypoint(40, 30, true)]]);
        AssertNoTensorOutsideAScope("keypoints", () => new KeypointTracking(8).Run(tracker, Video.AsFrameSource(), first, "first.json"));
        var body = new ColorTrack.Imaging.IndexedMask(Video.Width, Video.Height, [.. Enumerable.Range(0, Video.Width * Video.Height).Select(i => (byte)(i % Video.Width < 32 ? 1 : 0))]);
        AssertNoTensorOutsideAScope("keypoints on their body", () => KeypointTracking.OnObject(8).RunOnObject(tracker, Video.AsFrameSource(), first, "first.json", body, "body.png"));
    }

    /// <summary>Runs <paramref name="work"/> on this thread with no scope open and counts the tensors made outside one.</summary>
    static void AssertNoTensorOutsideAScope(string what, Action work)
    {
        var stats = DisposeScopeManager.Statistics;
        stats.Reset();
        work();
        Assert.True(stats.CreatedOutsideScopeCount == 0, $"{what}: {stats.CreatedOutsideScopeCount} tensors made outside any dispose scope ({stats})");
    }
}
