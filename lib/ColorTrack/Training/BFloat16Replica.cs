using ColorTrack.Model;
using TorchSharp;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;

namespace ColorTrack.Training;

/// <summary>
/// Mixed-precision training, written out because TorchSharp has no autocast: a bfloat16 copy of the
/// model computes the products — every convolution, and the pointer's affinities f_i . f_j — while
/// the fp32 model keeps the master weights that Adam updates (its moments stay fp32), BatchNorm keeps
/// fp32 weights and statistics (they are sums over the batch, not products), and the softmax, the copy
/// and the loss are fp32 (<see cref="Pointer"/> widens bf16 affinities before the softmax).
///
/// One step:
///     replica ← master            (fp32 weights rounded to bf16: <see cref="Pull"/>)
///     loss = L(replica(x_bf16))   (products in bf16, softmax and loss in fp32)
///     loss.backward()             (bf16 gradients on the replica)
///     master.grad += replica.grad (widened to fp32: <see cref="Push"/>, with BatchNorm's running statistics)
///     Adam.step(master)           (fp32)
/// Nothing of the replica is saved: checkpoints, validation and tracking see the master only, so a run
/// can change precision when it is resumed. The whole-bf16 step (weights and Adam in bf16) drifted from
/// fp32's loss within a few steps (benchmarks/README.md, train --bf16); this one keeps fp32's updates.
/// </summary>
public sealed class BFloat16Replica : IDisposable
{
    readonly (Tensor Master, Tensor Replica)[] _weights;
    readonly (Tensor Master, Tensor Replica)[] _buffers;

    /// <summary>The bfloat16 model to run forward and backward (BatchNorm layers fp32).</summary>
    public ColorizationModel Model { get; }

    public BFloat16Replica(ColorizationModel master)
    {
        // The replica's random initialisation is overwritten by the first Pull; it must not move torch's
        // generator, or a resumed run (which builds a replica after restoring the generator) would draw
        // other channel dropouts than the uninterrupted one.
        using (var rng = get_rng_state())
        {
            Model = new ColorizationModel(master.Preset);
            set_rng_state(rng);
        }
        Model.to(ScalarType.BFloat16);
        foreach (var (_, module) in Model.named_modules())
            if (module is SafeBatchNorm bn) bn.to(ScalarType.Float32);
        var device = master.parameters().First().device;
        Model.to(device);
        if (master.training) Model.train(); else Model.eval();

        var replicaWeights = Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        _weights = master.named_parameters().Select(p => ((Tensor)p.parameter, (Tensor)replicaWeights[p.name])).ToArray();
        var replicaBuffers = Model.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        _buffers = master.named_buffers().Select(b => (b.buffer, replicaBuffers[b.name])).ToArray();
    }

    /// <summary>The master's weights and buffers into the replica (rounded to bf16 where the replica is bf16).</summary>
    public void Pull()
    {
        using var _ = no_grad();
        foreach (var (m, r) in _weights) r.copy_(m);
        foreach (var (m, r) in _buffers) r.copy_(m);
    }

    /// <summary>
    /// The replica's gradients added to the master's (fp32: the shards of a step accumulate there, not in
    /// bf16), the replica's cleared, and BatchNorm's updated running statistics copied back.
    /// </summary>
    public void Push()
    {
        using var _ = no_grad();
        foreach (var (m, r) in _weights)
        {
            if (r.grad is not { } g) continue;
            if (m.grad is { } mg) mg.PlusInPlace(g);
            else m.grad = g.to(m.dtype);
            g.zero_();
        }
        foreach (var (m, r) in _buffers) m.copy_(r);
    }

    /// <summary>Clear the replica's gradients before the next backward.</summary>
    public void ZeroGrad()
    {
        foreach (var (_, r) in _weights) r.grad?.zero_();
    }

    public void Dispose() => Model.Dispose();
}
