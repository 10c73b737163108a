using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Training;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Training;

public class ReconstructionObjectiveTests
{
    public ReconstructionObjectiveTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void IdentityPointer_BetweenEqualFrames_CopiesTheTargetColoursAndLossIsZero()
    {
        using var scope = NewDisposeScope();
        // f_i . f_j = 900 when i == j else 0 (as the paper objective's test): A is the identity.
        var basis = eye(9).mul(30).view(9, 3, 3);                        // [D=9, h, w]
        var emb = stack([basis, basis]).unsqueeze(0);                   // [B=1, T=2, D, h, w]
        manual_seed(1);
        var frame = rand(3, 3, 3) * 2 - 1;                               // [C=3, h, w] Lab on the network scale
        var colors = stack([frame, frame]).unsqueeze(0);                // [1, 2, C, h, w]
        Assert.True(ReconstructionObjective.Loss(emb, colors).item<float>() < 1e-7f);
    }

    [Fact]
    public void UniformPointer_PredictsTheReferenceMean_AndLossIsItsHuberDistance()
    {
        using var scope = NewDisposeScope();
        // All embeddings zero: every target location copies the mean of the reference colours.
        var emb = zeros(new long[] { 1, 3, 4, 1, 2 });                  // T = 3: two references of 2 locations
        var colors = tensor(new float[] { 0.0f, 0.2f, 0.4f, 0.6f,        // references (one channel): mean 0.3
                                          0.3f, 1.3f }).view(1, 3, 1, 1, 2); // target: error 0 and 1.0
        var loss = ReconstructionObjective.Loss(emb, colors).item<float>();
        var beta = ReconstructionObjective.HuberBeta;
        var expected = (0 + (1.0 - beta / 2)) / 2;                     // Huber: 0 inside, |e| - beta/2 beyond beta
        Assert.Equal(expected, loss, 5);
    }

    [Fact]
    public void Gradient_FlowsIntoEveryFrame()
    {
        using var scope = NewDisposeScope();
        manual_seed(9);
        var emb = randn(new long[] { 2, 5, 8, 3, 3 }).requires_grad_(); // 4 references + target
        var colors = rand(new long[] { 2, 5, 3, 3, 3 });
        ReconstructionObjective.Loss(emb, colors).backward();
        for (var t = 0; t < 5; t++)
            Assert.True(emb.grad![.., t].abs().sum().item<float>() > 1e-6f, $"no gradient into frame {t}");
    }

    [Fact]
    public void Pointer_WithOneHotValues_IsThePaperObjectivesColourPrediction()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var refs = randn(2, 12, 6);
        var tgt = randn(2, 7, 6);
        var bins = randint(0, 5, new long[] { 2, 12 });
        var paper = ColorizationObjective.PredictColors(refs, bins, tgt, 5, temperature: 0.7);
        var copied = Pointer.Copy(refs, nn.functional.one_hot(bins, 5).to(float32), tgt, temperature: 0.7);
        Assert.True(paper.allclose(copied, rtol: 0, atol: 1e-7));
    }
}
