using ColorTrack.Model;
using ColorTrack.Propagation;
using ColorTrack.Runtime;
using ColorTrack.Tests.Propagation;
using ColorTrack.Tests.Support;
using ColorTrack.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Training;

/// <summary>
/// The paper's claim in miniature, on the trained encoder itself (not only a falling loss): a short
/// colorization training on moving textured squares gives embeddings that propagate a square's mask
/// through a held-out video better than copying the first mask (identity).
/// </summary>
public sealed class TrainedEncoderTrackingTests(ITestOutputHelper output) : IDisposable
{
    readonly int threads = InitThreads();

    static int InitThreads()
    {
        TorchRuntime.EnsureLoaded();
        var t = torch.get_num_threads();
        torch.set_num_threads(1);
        return t;
    }

    public void Dispose() => torch.set_num_threads(threads);

    const int K = 16;
    static readonly float[] Centroids = Enumerable.Range(0, 2 * K).Select(i => (float)(i * 3 - 40)).ToArray();

    /// <summary>The model as a frame encoder on gray frames [T, 1, H, W] in [-1, 1] (the training input).</summary>
    sealed class GrayModelEncoder(ColorizationModel model) : IFrameEncoder
    {
        public string Name => "trained";
        public int Stride => model.Stride;
        public int Dim => model.EmbeddingDim;
        public void Reset() { }
        public Tensor Encode(Tensor frames) => model.Embed(frames);
        public void Dispose() { }
    }

    [Theory]
    [InlineData("bins")]
    [InlineData("ab")]
    public void ShortTraining_OnMovingSquares_GivesAnEncoderThatTracksBetterThanIdentity(string objective)
    {
        using var dir = new TempDir();
        var c = new TrainingConfig
        {
            Preset = "cpu", Steps = 200, BatchSize = 8, Seed = 3, LearningRateDropStep = 150, CheckpointEvery = 1000, Objective = objective,
        };
        new ColorizationTrainer(c, Centroids, seed => new MovingSquaresClipSource(c.BatchSize, 128, 8, K, seed, withCellColors: true), dir.Path).Run();
        using var ck = ColorizationCheckpoint.Load(Path.Combine(dir.Path, ColorizationCheckpoint.FileName));

        // Held-out videos of the same kind (other seeds): one square moving 3-4 px a frame, 10 frames.
        double tracked = 0, identity = 0;
        for (int seed = 100; seed < 104; seed++)
        {
            var (frames, masks) = MovingSquaresClipSource.Video(128, 10, seed);
            var first = cat([1 - masks[0], masks[0]]);                                  // [2, H, W]
            var tracker = new PropagationTracker(new GrayModelEncoder(ck.Model), PropagationSettings.Best);
            var t = 1;
            foreach (var soft in tracker.Track(frames.Select(f => f.clone()), first))
                using (soft)
                {
                    var truth = masks[t].to(ScalarType.Byte).flatten().data<byte>().ToArray();
                    tracked += MovingSquareVideo.IoU(MovingSquareVideo.Argmax(soft), truth);
                    identity += MovingSquareVideo.IoU(masks[0].to(ScalarType.Byte).flatten().data<byte>().ToArray(), truth);
                    t++;
                }
        }
        tracked /= 4 * 9; identity /= 4 * 9;
        output.WriteLine($"{objective}: mean IoU over 9 frames x 4 videos: trained encoder {tracked:F3}, identity {identity:F3}");
        Assert.True(tracked > identity + 0.1, $"trained encoder {tracked:F3} vs identity {identity:F3}");
    }
}
