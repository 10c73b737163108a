using ColorTrack.Model;
using ColorTrack.Propagation;
using ColorTrack.Runtime;
using ColorTrack.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Model;

public class PointerTests
{
    public PointerTests() { TorchRuntime.EnsureLoaded(); manual_seed(3); }

    [Fact]
    public void TrainingPointer_AndPropagator_AgreeUnderThePapersSettings()
    {
        // Four frames of embeddings [D, h, w]: the propagator tracks frame 0's labels through frames 1..3
        // with the paper's inference (T 0.5, the 3 previous frames, dense). At frame 3 its references are
        // frames 0..2 with labels l0 and its own predictions y1, y2: exactly the clip training sees, so
        // the training-time copy (batched, as the objective calls it) must give the same labels.
        using var scope = NewDisposeScope();
        const int D = 8, h = 5, w = 6, C = 3;
        var f = Enumerable.Range(0, 4).Select(_ => randn(D, h, w)).ToArray();
        var l0 = nn.functional.one_hot(randint(0, C, [h, w]), C).permute(2, 0, 1).to(float32); // [C, h, w]
        using var propagator = new LabelPropagator(f[0], l0, PropagationSettings.Paper with { ChunkMiB = 0 });
        var y1 = propagator.Next(f[1]); var y2 = propagator.Next(f[2]); var y3 = propagator.Next(f[3]); // [C, h, w]

        Tensor Rows(Tensor x) => x.permute(1, 2, 0).reshape(-1, x.shape[0]);                  // [hw, channels]
        var refEmb = cat([Rows(f[0]), Rows(f[1]), Rows(f[2])]).unsqueeze(0);                  // [1, 3hw, D]
        var refValues = cat([Rows(l0), Rows(y1), Rows(y2)]).unsqueeze(0);                      // [1, 3hw, C]
        var copied = Pointer.Copy(refEmb, refValues, Rows(f[3]).unsqueeze(0), PropagationSettings.Paper.Temperature); // [1, hw, C]
        Assert.True(allclose(copied[0], Rows(y3), 1e-5, 1e-6), $"max diff {(copied[0] - Rows(y3)).abs().max().item<float>()}");

        // The objective's colour prediction is this pointer on one-hot bins.
        var bins = randint(0, C, [1, 3 * h * w]);
        var viaObjective = ColorizationObjective.PredictColors(refEmb, bins, Rows(f[3]).unsqueeze(0), C, 0.5);
        var viaPointer = Pointer.Copy(refEmb, nn.functional.one_hot(bins, C).to(float32), Rows(f[3]).unsqueeze(0), 0.5);
        Assert.True(allclose(viaObjective, viaPointer));
    }

    [Fact]
    public void TopK_Batched_EqualsEachClipOnItsOwn()
    {
        // Top-k on a batch gathers each clip's values from its own references.
        using var scope = NewDisposeScope();
        var refs = randn(3, 20, 4); var values = rand(3, 20, 2); var targets = randn(3, 7, 4);
        var batched = SparsePointer.Copy(refs, values, targets, 0.5, topK: 4);                       // [3, 7, 2]
        for (int b = 0; b < 3; b++)
        {
            var single = SparsePointer.Copy(refs[b], values[b], targets[b], 0.5, topK: 4);          // [7, 2]
            Assert.True(allclose(batched[b], single, 1e-6, 1e-6));
        }
    }

    [Fact]
    public void TopK_One_CopiesTheBestReference_AndMaskExcludesReferences()
    {
        using var scope = NewDisposeScope();
        var refs = eye(4);                                  // reference i is the unit vector e_i
        var values = tensor(new float[] { 10, 20, 30, 40 }).view(4, 1);
        var targets = tensor(new float[] { 0, 0, 1, 0.5f, 0, 1, 0, 0.9f }).view(2, 4); // best refs: 2 and 1
        Assert.Equal(new float[] { 30, 20 }, SparsePointer.Copy(refs, values, targets, topK: 1).reshape(-1).data<float>().ToArray());
        // Two blocks (frames) of two references sharing one mask: target 0 may see only the second of each.
        var allowed = tensor(new[] { false, true, true, true }).view(2, 2);
        var masked = SparsePointer.Copy(refs, values, targets, 0.01, allowed: allowed).reshape(-1).data<float>().ToArray();
        Assert.Equal(40, masked[0], 2);                     // among refs 1 and 3, the target prefers 3 (0.5 > 0)
        Assert.Equal(20, masked[1], 2);
    }
}
