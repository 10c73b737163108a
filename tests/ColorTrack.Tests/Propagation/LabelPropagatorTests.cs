using ColorTrack.Propagation;
using ColorTrack.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Propagation;

public class LabelPropagatorTests
{
    public LabelPropagatorTests() { TorchRuntime.EnsureLoaded(); manual_seed(0); }

    [Fact]
    public void Propagator_MixesReferenceLabelsBySoftmaxOfDotProductsOverTemperature()
    {
        // One reference frame of two locations with embeddings e1, e2 and labels A, B; a target
        // location with embedding e1 gets A with probability e^(1/T) / (e^(1/T) + e^0).
        var f0 = tensor(new float[] { 1, 0, 0, 1 }).view(2, 1, 2);     // [D=2, h=1, w=2]
        var l0 = tensor(new float[] { 1, 0, 0, 1 }).view(2, 1, 2);     // [C=2, h=1, w=2]
        using var p = new LabelPropagator(f0, l0, PropagationSettings.Paper);
        var y = p.Next(tensor(new float[] { 1, 0, 0, 1 }).view(2, 1, 2));
        double a = Math.Exp(1 / 0.5) / (Math.Exp(1 / 0.5) + 1);
        Assert.Equal(a, y[0, 0, 0].item<float>(), 5);
        Assert.Equal(1 - a, y[1, 0, 0].item<float>(), 5);
        Assert.Equal(a, y[1, 0, 1].item<float>(), 5);
    }

    [Fact]
    public void Propagator_WindowHoldsTheLastNFramesAndLongTermMemoryAddsTheFirst()
    {
        var f = randn(4, 3, 3); var l = rand(2, 3, 3);
        using var paper = new LabelPropagator(f, l, PropagationSettings.Paper with { Window = 3 });
        using var memory = new LabelPropagator(f, l, PropagationSettings.Paper with { Window = 3, LongTermMemory = true });
        var counts = new List<(int, int)>();
        for (int t = 1; t <= 6; t++)
        {
            counts.Add((paper.ReferenceCount, memory.ReferenceCount));
            paper.Next(randn(4, 3, 3)).Dispose();
            memory.Next(randn(4, 3, 3)).Dispose();
        }
        Assert.Equal([(1, 1), (2, 2), (3, 3), (3, 4), (3, 4), (3, 4)], counts);
    }

    [Fact]
    public void Propagator_RemembersWhatTheCallerKeepsOfEachFrame()
    {
        // Window 1, top-1, identical frames: each frame copies the previous frame's labels exactly. The
        // caller keeps only label 0 of frame 1; frame 1's own answer is unchanged, frame 2 gets what was kept.
        var f = tensor(new float[] { 1, 0, 0, 1 }).view(2, 1, 2);      // [D=2, h=1, w=2]
        var l = tensor(new float[] { 1, 0, 0, 1 }).view(2, 1, 2);      // [C=2, h=1, w=2]: A, then B
        var settings = PropagationSettings.Paper with { Window = 1, TopK = 1 };
        using var fed = new LabelPropagator(f, l, settings);
        using var plain = new LabelPropagator(f, l, settings);
        var keepA = tensor(new float[] { 1, 0 }).view(2, 1, 1);
        var y1 = fed.Next(f, labels => labels * keepA);
        Assert.Equal(l.data<float>().ToArray(), y1.data<float>().ToArray());
        Assert.Equal(new float[] { 1, 0, 0, 0 }, fed.Next(f).data<float>().ToArray());
        plain.Next(f).Dispose();
        Assert.Equal(l.data<float>().ToArray(), plain.Next(f).data<float>().ToArray());
        Assert.Throws<ArgumentException>(() => fed.Next(f, labels => labels[0]));
    }

    [Fact]
    public void Propagator_LongTermMemoryKeepsTheFirstFrameAvailable()
    {
        // Frame 0: location 0 looks like [5,0] and is labelled A, location 1 looks like [0,5] (B).
        // Frames 1..4 only contain [0,5] things, so they are all B. At frame 5 location 0 looks like
        // [5,0] again: with long-term memory it finds frame 0's A; with a window of 1 only B is left.
        var f0 = tensor(new float[] { 5, 0, 0, 5 }).view(2, 1, 2);
        var l0 = tensor(new float[] { 1, 0, 0, 1 }).view(2, 1, 2);
        var bOnly = tensor(new float[] { 0, 0, 5, 5 }).view(2, 1, 2);
        var settings = PropagationSettings.Paper with { Window = 1, TopK = 1 };
        using var with = new LabelPropagator(f0, l0, settings with { LongTermMemory = true });
        using var without = new LabelPropagator(f0, l0, settings);
        for (int t = 1; t < 5; t++) { with.Next(bOnly).Dispose(); without.Next(bOnly).Dispose(); }
        Assert.Equal(0, with.Next(f0)[.., 0, 0].argmax().item<long>());
        Assert.Equal(1, without.Next(f0)[.., 0, 0].argmax().item<long>());
    }

    [Fact]
    public void Propagator_TopOneCopiesTheBestMatchExactly()
    {
        var f0 = randn(8, 4, 5);
        var l0 = rand(3, 4, 5);
        using var p = new LabelPropagator(f0, l0, PropagationSettings.Paper with { TopK = 1 });
        var y = p.Next(f0.clone()); // compared with a brute-force argmax of the dot products
        var scores = einsum("dt,dr->tr", f0.view(8, 20), f0.view(8, 20));
        var best = scores.argmax(1);
        var expected = l0.view(3, 20).index_select(1, best).view(3, 4, 5);
        Assert.True(allclose(y, expected, 1e-6, 1e-6));
    }

    [Fact]
    public void Propagator_RadiusKeepsTargetsFromCopyingFarAwayMatches()
    {
        // Reference row of 10 cells: cell 9 matches the target at cell 0 perfectly (label B), cell 0
        // matches it weakly (label A). Unrestricted, cell 0 takes B; with radius 2 it must take A.
        var f0 = zeros(2, 1, 10); f0[0, 0, 9] = tensor(10f); f0[1, 0, 0] = tensor(1f);
        var l0 = zeros(2, 1, 10); l0[0] = ones(1, 10); l0[0, 0, 9] = tensor(0f); l0[1, 0, 9] = tensor(1f);
        var target = zeros(2, 1, 10); target[0, 0, 0] = tensor(1f); target[1, 0, 0] = tensor(1f);
        using var free = new LabelPropagator(f0, l0, PropagationSettings.Paper with { TopK = 1 });
        using var near = new LabelPropagator(f0, l0, PropagationSettings.Paper with { TopK = 1, Radius = 2 });
        Assert.Equal(1, free.Next(target)[.., 0, 0].argmax().item<long>());
        Assert.Equal(0, near.Next(target)[.., 0, 0].argmax().item<long>());
    }

    [Fact]
    public void Propagator_TopKSharpensTheMixture()
    {
        // Dense softmax spreads mass over all locations; top-k puts all of it on the k best.
        var f0 = randn(16, 6, 6); var l0 = nn.functional.one_hot(randint(0, 4, [6, 6]), 4).permute(2, 0, 1).to(float32);
        var target = randn(16, 6, 6);
        using var dense = new LabelPropagator(f0, l0, PropagationSettings.Paper with { Temperature = 20 });
        using var top1 = new LabelPropagator(f0, l0, PropagationSettings.Paper with { Temperature = 20, TopK = 1 });
        var yd = dense.Next(target); var y1 = top1.Next(target);
        Assert.True(yd.max(0).values.mean().item<float>() < 0.6f); // blurry
        Assert.True(allclose(y1.max(0).values, ones(6, 6)));      // one-hot
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(0, 2.5)]
    [InlineData(5, 0.0)]
    [InlineData(5, 3.0)]
    [InlineData(5, 3.0, true)]
    public void Propagator_ChunkedEqualsUnchunked(int topK, double radius, bool spareFirst = false)
    {
        // 31 x 33 cells: one row of targets against n reference frames is n * 31 * 33 * 33 floats (n * 0.13 MiB),
        // so a 1 MiB budget splits every frame into bands of at most 7 rows; with a radius, into tiles.
        var video = new List<Tensor>();
        for (int t = 0; t < 6; t++) video.Add(randn(16, 31, 33));
        var l0 = nn.functional.one_hot(randint(0, 3, [31, 33]), 3).permute(2, 0, 1).to(float32);
        var baseSettings = PropagationSettings.Paper with { TopK = topK, Radius = radius, Window = 3, LongTermMemory = true, L2Normalize = true, Temperature = 0.1, RadiusSparesFirstFrame = spareFirst };
        using var whole = new LabelPropagator(video[0], l0, baseSettings with { ChunkMiB = 0 });
        using var chunked = new LabelPropagator(video[0], l0, baseSettings with { ChunkMiB = 1, TileSide = 4 });
        using var tiny = new LabelPropagator(video[0], l0, baseSettings with { ChunkMiB = 1, TileSide = 1 });
        for (int t = 1; t < video.Count; t++)
        {
            var a = whole.Next(video[t]); var b = chunked.Next(video[t]); var c = tiny.Next(video[t]);
            Assert.Equal(1, whole.LastFrameChunks);
            Assert.True(chunked.LastFrameChunks > 1, $"frame {t}: one chunk, nothing compared");
            Assert.True(tiny.LastFrameChunks >= chunked.LastFrameChunks);
            Assert.True(allclose(a, b, 1e-5, 1e-5), $"frame {t}: max diff {(a - b).abs().max().item<float>()}");
            Assert.True(allclose(a, c, 1e-5, 1e-5), $"frame {t}: max diff {(a - c).abs().max().item<float>()}");
            Assert.True(a.argmax(0).eq(b.argmax(0)).all().item<bool>());
        }
    }

    [Theory]
    [InlineData(10, 12.0, true, true)]   // CRW's propagation, on a grid smaller than the radius
    [InlineData(10, 1.0, false, false)]  // 5 cells within the radius: fewer candidates than k
    [InlineData(4, 2.0, true, false)]
    public void Propagator_FusedTopK_EqualsThePointerOnTheWholeMatrix(int topK, double radius, bool spareFirst, bool copies)
    {
        // The fused mask + top-k (chunked) against Model.Pointer on the whole [targets, references] matrix.
        var video = Enumerable.Range(0, 7).Select(_ => randn(8, 13, 17)).ToList();
        var l0 = nn.functional.one_hot(randint(0, 4, [13, 17]), 4).permute(2, 0, 1).to(float32);
        var s = PropagationSettings.Best with { TopK = topK, Radius = radius, Window = 4, RadiusSparesFirstFrame = spareFirst, WindowStartsWithCopies = copies };
        using var pointer = new LabelPropagator(video[0], l0, s with { ChunkMiB = 0 });
        using var fused = new LabelPropagator(video[0], l0, s with { TileSide = 3 });
        int chunks = 0;
        for (int t = 1; t < video.Count; t++)
        {
            var a = pointer.Next(video[t]); var b = fused.Next(video[t]);
            chunks = Math.Max(chunks, fused.LastFrameChunks);
            Assert.True(allclose(a, b, 1e-5, 1e-5), $"frame {t}: max diff {(a - b).abs().max().item<float>()}");
        }
        Assert.True(chunks > 1, "every frame in one block: the tiles were not compared");
    }

    [Fact]
    public void Propagator_RadiusSparesFirstFrame_FindsItsLabelFarAway()
    {
        // A 1 x 20 strip: in frame 0 only cell 0 looks like [1,0] (object); every other cell is [0,1].
        // In frame 1 the object is at cell 19, 19 cells away: beyond the radius 3 it can only be
        // matched when the first frame is searched everywhere (CRW's propagation).
        var f0 = zeros(2, 1, 20); f0[1] = 1; f0[0, 0, 0] = 1; f0[1, 0, 0] = 0;
        var l0 = zeros(2, 1, 20); l0[0] = 1; l0[1, 0, 0] = 1; l0[0, 0, 0] = 0;   // class 1 at cell 0
        var f1 = zeros(2, 1, 20); f1[1] = 1; f1[0, 0, 19] = 1; f1[1, 0, 19] = 0;
        var s = PropagationSettings.Paper with { Window = 1, LongTermMemory = true, TopK = 1, Radius = 3, Temperature = 0.05 };
        using var spared = new LabelPropagator(f0, l0, s with { RadiusSparesFirstFrame = true });
        using var restricted = new LabelPropagator(f0, l0, s);
        Assert.Equal(1, spared.Next(f1)[.., 0, 19].argmax().item<long>());
        Assert.Equal(0, restricted.Next(f1)[.., 0, 19].argmax().item<long>());
    }

    [Fact]
    public void Propagator_WindowStartsWithCopies_IsFullAtOnce_AndTheDenseMixIsUnchanged()
    {
        // Copies of one frame change a dense softmax not at all (each copy gets 1/n of the weight the
        // frame alone would get); with top-k they crowd out the weaker matches.
        var f = randn(4, 3, 3); var l = rand(2, 3, 3); var next = randn(4, 3, 3);
        var s = PropagationSettings.Paper with { Window = 5, LongTermMemory = true };
        using var copies = new LabelPropagator(f, l, s with { WindowStartsWithCopies = true });
        using var growing = new LabelPropagator(f, l, s);
        Assert.Equal(6, copies.ReferenceCount);
        Assert.Equal(1, growing.ReferenceCount);
        var a = copies.Next(next); var b = growing.Next(next);
        Assert.True(allclose(a, b, 1e-5, 1e-6), $"max diff {(a - b).abs().max().item<float>()}");
        Assert.Equal(6, copies.ReferenceCount);
    }

    [Fact]
    public void Propagator_BFloat16_AgreesWithFloat32()
    {
        // bf16 keeps 8 significant bits of each affinity; the labels and the mixing weights stay fp32.
        var video = Enumerable.Range(0, 5).Select(_ => randn(32, 20, 24)).ToList();
        var l0 = nn.functional.one_hot(randint(0, 3, [20, 24]), 3).permute(2, 0, 1).to(float32);
        using var fp32 = new LabelPropagator(video[0], l0, PropagationSettings.Best);
        using var bf16 = new LabelPropagator(video[0], l0, PropagationSettings.Best with { ComputeType = ScalarType.BFloat16 });
        for (int t = 1; t < video.Count; t++)
        {
            var a = fp32.Next(video[t]); var b = bf16.Next(video[t]);
            Assert.Equal(ScalarType.Float32, b.dtype);
            double agree = a.argmax(0).eq(b.argmax(0)).to(float32).mean().item<float>();
            Assert.True(agree >= 0.97, $"frame {t}: argmax agrees on {agree:P1}");
            Assert.True((a - b).abs().mean().item<float>() < 0.02, $"frame {t}: mean diff {(a - b).abs().mean().item<float>()}");
        }
    }
}
