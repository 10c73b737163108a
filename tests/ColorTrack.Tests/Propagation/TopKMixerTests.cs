using ColorTrack.Propagation;
using ColorTrack.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Propagation;

/// <summary>
/// The fused mask + top-k of the label propagator, pinned on tiny cases against plain sorting; the
/// propagator's tests compare it with <see cref="ColorTrack.Model.Pointer"/> on whole frames.
/// </summary>
public class TopKMixerTests
{
    public TopKMixerTests() { TorchRuntime.EnsureLoaded(); manual_seed(0); }

    [Theory]
    [InlineData(1, 7)]
    [InlineData(3, 50)]
    [InlineData(10, 3)]   // fewer scores than k: all of them
    [InlineData(10, 333)] // runs of 8 plus a tail
    public void Mixer_KeepsEachTargetsKLargestScores_BestFirst(int k, int refs)
    {
        var scores = randn(4, refs);
        var mixer = new TopKMixer(6, k);
        mixer.OfferRows(scores, firstTarget: 2, firstRef: 100); // targets 2..5, references 100..
        var rows = scores.data<float>().ToArray();
        for (int t = 0; t < 4; t++)
        {
            var expected = rows.Skip(t * refs).Take(refs).Select((s, i) => (s, 100 + i)).OrderByDescending(p => p.s).Take(k).ToArray();
            Assert.Equal(expected, mixer.Held(2 + t));
        }
        Assert.Empty(mixer.Held(0));
    }

    [Fact]
    public void Mixer_MergesBlocksOfferedAtDifferentTimes()
    {
        // Top-k of a union = top-k of the blocks' top-k: offering references in two blocks is the same as one.
        var a = randn(3, 40); var b = randn(3, 25);
        var once = new TopKMixer(3, 5); once.OfferRows(cat([a, b], 1), 0, 0);
        var twice = new TopKMixer(3, 5); twice.OfferRows(b, 0, 40); twice.OfferRows(a, 0, 0);
        for (int t = 0; t < 3; t++) Assert.Equal(once.Held(t), twice.Held(t));
    }

    [Fact]
    public void Mixer_ReadsBFloat16ScoresAsTheirValues()
    {
        var scores = randn(2, 37).to(ScalarType.BFloat16);
        var asFloat = new TopKMixer(2, 4); asFloat.OfferRows(scores.to(float32), 0, 0);
        var asBf16 = new TopKMixer(2, 4); asBf16.OfferRows(scores, 0, 0);
        for (int t = 0; t < 2; t++) Assert.Equal(asFloat.Held(t), asBf16.Held(t));
    }

    [Fact]
    public void Mixer_MixesLabelsBySoftmaxOverTheKeptScores()
    {
        // One target, references with scores 3, 1, 2 and labels A, B, C; top-2 keeps 3 (A) and 2 (C):
        // y = (e^(3/T) A + e^(2/T) C) / (e^(3/T) + e^(2/T)).
        var mixer = new TopKMixer(1, 2);
        mixer.OfferRows(tensor(new float[] { 3, 1, 2 }).view(1, 3), 0, 0);
        var labels = tensor(new float[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }).view(1, 1, 3, 3); // [slots, h, w, C]: A, B, C
        var y = empty(1, 3);
        mixer.Mix(labels, temperature: 0.5, y);
        double wa = Math.Exp(3 / 0.5), wc = Math.Exp(2 / 0.5);
        Assert.Equal(wa / (wa + wc), y[0, 0].item<float>(), 5);
        Assert.Equal(0, y[0, 1].item<float>());
        Assert.Equal(wc / (wa + wc), y[0, 2].item<float>(), 5);
    }

    [Theory]
    [InlineData(12.0, 441)]
    [InlineData(2.5, 21)]
    [InlineData(1.0, 5)]
    [InlineData(0.5, 1)]
    public void DiscHalfWidths_CoverTheCellsWithinTheRadius(double radius, int cells)
    {
        var half = LabelPropagator.DiscHalfWidths(radius);
        Assert.Equal(cells, half[0] * 2 + 1 + 2 * half.Skip(1).Sum(x => 2 * x + 1));
        for (int dy = 0; dy < half.Length; dy++)
        {
            Assert.True(half[dy] * half[dy] + dy * dy <= radius * radius);
            Assert.True((half[dy] + 1) * (half[dy] + 1) + dy * dy > radius * radius);
        }
    }

    [Fact]
    public void Mixer_DiscsSkipCellsOutsideTheRadius()
    {
        // One target in the middle of a 5 x 5 grid, radius 1: of a reference frame whose every cell
        // scores higher than the target's own place except the 4-neighbours, top-5 holds exactly the
        // centre and its 4 neighbours.
        var cells = Enumerable.Repeat(10f, 25).ToArray();
        foreach (var i in new[] { 7, 11, 12, 13, 17 }) cells[i] = 1;
        var score = tensor(cells).view(5, 5);
        var mixer = new TopKMixer(25, 5);
        mixer.OfferDiscs(score.view(1, 25), ty0: 2, th: 1, tx0: 2, tw: 1, ry0: 0, rh: 5, rx0: 0, rw: 5, firstSlot: 0, h: 5, w: 5, LabelPropagator.DiscHalfWidths(1));
        Assert.Equal(new[] { 7, 11, 12, 13, 17 }, mixer.Held(12).Select(p => p.Reference).Order());
    }
}
