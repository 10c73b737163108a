using ColorTrack.Runtime;
using ColorTrack.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ColorTrack.Tests.Training;

public class ColorizationObjectiveTests
{
    public ColorizationObjectiveTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void IdentityPointer_BetweenEqualFrames_CopiesTheTargetOneHotsAndLossIsZero()
    {
        using var scope = NewDisposeScope();
        // 2 frames (1 reference + target) of 3x3 locations; embedding of location p = 30 * e_p, so
        // f_i . f_j = 900 when i == j else 0: A is the identity to float precision.
        const int k = 4;
        var basis = eye(9).mul(30).view(9, 3, 3);                         // [D=9, h, w]
        var emb = stack([basis, basis]).unsqueeze(0);                    // [B=1, T=2, D, h, w]
        var frameBins = tensor(new long[] { 0, 1, 2, 3, 0, 1, 2, 3, 3 }).view(3, 3);
        var bins = stack([frameBins, frameBins]).unsqueeze(0);          // [1, 2, h, w]

        var y = ColorizationObjective.PredictColors(
            emb[.., 0].flatten(2).transpose(1, 2), bins[.., 0].reshape(1, -1), emb[.., 1].flatten(2).transpose(1, 2), k);
        var expected = functional.one_hot(frameBins.reshape(1, -1), k).to(float32);
        Assert.True(y.allclose(expected, rtol: 0, atol: 1e-6));
        Assert.True(ColorizationObjective.Loss(emb, bins, k).item<float>() < 1e-5f);
    }

    [Fact]
    public void UniformPointer_PredictsReferenceColourHistogram_AndLossIsItsCrossEntropy()
    {
        using var scope = NewDisposeScope();
        // All embeddings zero: A is uniform over the references, y_j is their bin histogram.
        var emb = zeros(new long[] { 1, 4, 8, 2, 2 });
        var bins = tensor(new long[] { 0, 0, 0, 1,  0, 0, 1, 1,  0, 0, 0, 0,  1, 1, 1, 0 }).view(1, 4, 2, 2);
        var loss = ColorizationObjective.Loss(emb, bins, k: 3).item<float>();
        // References: 9 zeros, 3 ones, no 2s -> p(0) = 3/4, p(1) = 1/4. Target: three 1s, one 0.
        var expected = -(3 * Math.Log(0.25) + Math.Log(0.75)) / 4;
        Assert.Equal(expected, loss, 5);
    }

    [Fact]
    public void ColourAbsentFromReferences_GivesLargeButFiniteLoss()
    {
        using var scope = NewDisposeScope();
        var emb = randn(new long[] { 1, 4, 8, 2, 2 });
        var bins = zeros(1, 4, 2, 2, dtype: int64);
        bins[0, 3] = tensor(2L); // the target's colour never appears in the references
        var loss = ColorizationObjective.Loss(emb, bins, k: 3).item<float>();
        Assert.True(float.IsFinite(loss));
        Assert.Equal(-Math.Log(ColorizationObjective.MinProbability), loss, 3);
    }

    [Fact]
    public void Gradient_FlowsIntoAllFourFrames()
    {
        using var scope = NewDisposeScope();
        manual_seed(9);
        var emb = randn(new long[] { 2, 4, 8, 3, 3 }).requires_grad_();
        var bins = randint(0, 5, new long[] { 2, 4, 3, 3 });
        ColorizationObjective.Loss(emb, bins, k: 5).backward();
        var g = emb.grad!;
        for (var t = 0; t < 4; t++)
            Assert.True(g[.., t].abs().sum().item<float>() > 1e-6f, $"no gradient into frame {t}");
    }

    [Fact]
    public void Temperature_SharpensThePointer()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var refs = randn(1, 6, 4);
        var refBins = tensor(new long[] { 0, 1, 2, 0, 1, 2 }).view(1, 6);
        var tgt = randn(1, 5, 4);
        var soft = ColorizationObjective.PredictColors(refs, refBins, tgt, 3, temperature: 1);
        var sharp = ColorizationObjective.PredictColors(refs, refBins, tgt, 3, temperature: 0.5);
        Assert.True(soft.sum(-1).allclose(ones(1, 5), atol: 1e-6)); // distributions
        Assert.True(sharp.max(-1).values.mean().item<float>() > soft.max(-1).values.mean().item<float>());
    }
}
