using ColorTrack.Data;
using ColorTrack.Model;
using ColorTrack.Runtime;
using TorchSharp;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ColorTrack.Training;

/// <summary>
/// One optimizer step of the colorization objective, the paper's method (section 3) on a batch of
/// clips: embed every frame, let each target location point into the reference frames and copy their
/// colours (<see cref="Pointer"/>), score the copy against the target's true colour, backpropagate,
/// step Adam. The run's bookkeeping (resume, checkpoints, validation, time) is
/// <see cref="ColorizationTrainer"/>'s; the benchmarks time this same step.
/// </summary>
/// <param name="model">The fp32 model: its weights are the ones Adam updates and checkpoints save.</param>
/// <param name="optimizer">Adam over <paramref name="model"/>'s parameters.</param>
/// <param name="config">The objective, temperature, channel dropout and precision.</param>
/// <param name="device">Where the batch goes.</param>
/// <param name="bins">K, the colour bins of the paper's objective (16).</param>
public sealed class TrainingStep(ColorizationModel model, optim.Optimizer optimizer, TrainingConfig config, Device device, int bins = 16) : IDisposable
{
    readonly ScalarType _compute = config.ComputeType(device);
    // Mixed precision: a bf16 replica computes, the fp32 model keeps the weights Adam updates.
    readonly BFloat16Replica? _replica = config.ComputeType(device) == ScalarType.BFloat16 ? new BFloat16Replica(model) : null; // the same rule as _compute

    /// <summary>The element type the products are computed in (float32, or bfloat16 with fp32 master weights).</summary>
    public ScalarType ComputeType => _compute;

    /// <summary>Embed, point, copy, score: the batch's loss (fp32 scalar), before any update.</summary>
    public Tensor Loss(ClipBatch batch)
    {
        _replica?.Pull();
        var net = _replica?.Model ?? model;
        var x = Input(batch).to(_compute);                 // [B, T, C, H, W]: gray, or Lab with channels dropped
        var emb = net.forward(x);                          // [B, T, D, h, w]
        return config.Objective switch                     // frames 0..T-2 point, frame T-1 is coloured
        {
            "bins" => ColorizationObjective.Loss(emb, batch.Bins.to(device), bins, config.Temperature),
            "ab" => ReconstructionObjective.Loss(emb, CellLab(batch).narrow(2, 1, 2), config.Temperature),
            "lab" => ReconstructionObjective.Loss(emb, CellLab(batch), config.Temperature),
            var other => throw new InvalidOperationException($"unknown objective '{other}'"),
        };
    }

    /// <summary>Backpropagate <paramref name="loss"/> and step Adam on the fp32 weights.</summary>
    public void Update(Tensor loss)
    {
        ZeroGrad();
        Backward(loss);
        Step();
    }

    /// <summary>Clear the gradients before a step's first backward.</summary>
    public void ZeroGrad()
    {
        optimizer.zero_grad();
        _replica?.ZeroGrad();
    }

    /// <summary>Add the gradient of <paramref name="loss"/> to the fp32 weights' (a step may sum several shards' before <see cref="Step"/>).</summary>
    public void Backward(Tensor loss)
    {
        loss.backward();
        _replica?.Push();                                  // bf16 gradients added to the fp32 master weights'
    }

    /// <summary>Adam on the fp32 weights.</summary>
    public void Step() => CollectionFreeRegion.Run(() => optimizer.step()); // Adam's temporary Scalars (Runtime/Scalars.cs)

    /// <summary>
    /// The network input of a batch: gray [B, T, 1, H, W] for the paper's models; for Lab models
    /// [B, T, 3, H, W] = (L, a, b) where, in training, each frame loses one of its channels (zeroed,
    /// chosen uniformly) with probability <see cref="TrainingConfig.ChannelDropout"/>, drawn from
    /// torch's generator (restored on resume).
    /// </summary>
    Tensor Input(ClipBatch batch)
    {
        var gray = batch.Gray.to(device);                                           // [B, T, 1, H, W]
        if (model.InputChannels == 1) return gray;
        var chroma = batch.Chroma?.to(device)
            ?? throw new InvalidOperationException($"preset '{model.Preset.Name}' sees colour, but the clip source gives gray frames only (ClipSamplerOptions.LabInput)");
        var lab = cat([gray, chroma], 2);                                           // [B, T, 3, H, W]
        if (config.ChannelDropout <= 0) return lab;
        var (b, t) = (lab.shape[0], lab.shape[1]);
        var which = randint(0, 3, [b, t]);                                          // the channel each frame would lose
        Tensor drop = rand(b, t).Safe() < config.ChannelDropout;                    // whether it loses it
        var keep = ones(b, t, 3) - functional.one_hot(which, 3).to(float32) * drop.unsqueeze(-1).to(float32); // [B, T, 3]
        return lab * keep.view(b, t, 3, 1, 1).to(device);
    }

    Tensor CellLab(ClipBatch batch) =>
        batch.CellLab?.to(device) ?? throw new InvalidOperationException("the regression objectives need the clips' cell colours (ClipBatch.CellLab)");

    public void Dispose() => _replica?.Dispose();
}
