using ColorTrack.Model;
using ColorTrack.Runtime;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;

namespace ColorTrack.Training;

/// <summary>
/// Data-parallel training (the recipe of Horovod and PyTorch's DDP, on MPI): the global batch of B
/// clips is cut into S shards of B/S clips, S = ranks x micro-batches per rank. Shard s draws its
/// clips from its own data stream (its own seed, and only the videos i with i mod S = s: the shards'
/// clips are disjoint), goes through the network on its own, and its gradient is averaged with the
/// others' before Adam steps:
///     g = (1/S) sum_s grad L_s          (one MPI_Allreduce of every gradient per step)
/// so every rank applies the same update to the same weights, and holds identical weights after every
/// step (checked at each checkpoint).
///
/// BatchNorm: each shard normalises with its own batch statistics (as DDP does by default; synchronised
/// statistics would need a collective inside the forward and backward of every BatchNorm). The running
/// statistics every shard produces from the step's starting values are averaged with the gradients, so
/// they too are the same on every rank. Because a shard is a shard wherever it runs, N ranks with one
/// micro-batch each compute exactly what one process computes with N micro-batches (to float rounding):
/// that is what tests/Training/DataParallelTests checks, and how a run resumes under another rank count.
/// With one shard nothing here runs: a single process trains exactly as before.
/// </summary>
public sealed class DataParallel
{
    readonly Mpi? _world;

    /// <param name="world">The MPI job (null: one process).</param>
    /// <param name="microBatches">Shards each rank computes one after another (1: one per rank).</param>
    public DataParallel(Mpi? world, int microBatches = 1)
    {
        if (microBatches < 1) throw BadInputException.Setting("TrainingConfig.MicroBatches", $"must be at least 1, got {microBatches}");
        (_world, MicroBatches) = (world, microBatches);
    }

    public int Rank => _world?.Rank ?? 0;
    public int Ranks => _world?.Size ?? 1;
    public int MicroBatches { get; }

    /// <summary>S: the shards of every global batch.</summary>
    public int Shards => Ranks * MicroBatches;

    /// <summary>The shards this rank computes.</summary>
    public IEnumerable<int> LocalShards => Enumerable.Range(Rank * MicroBatches, MicroBatches);

    /// <summary>Rank 0 writes the run's files (checkpoints, metrics, validation); the others write nothing.</summary>
    public bool Writes => Rank == 0;

    /// <summary>Whether other processes take part (every step then ends with one collective).</summary>
    public bool Distributed => _world is not null;

    /// <summary>Name for messages: "rank 1 of 2" or "one process".</summary>
    public string Describe() => Distributed ? $"rank {Rank} of {Ranks}" : "one process";

    /// <summary>A shard's data seed for a segment seed (one shard: the segment seed itself, as without shards).</summary>
    public long ShardSeed(long segmentSeed, int shard) => Shards == 1 ? segmentSeed : ColorizationTrainer.SegmentSeed(segmentSeed, 1 + shard);

    /// <summary>Rank 0's weights and buffers on every rank (at the start and on resume, before the first step).</summary>
    public void Broadcast(ColorizationModel model)
    {
        if (_world is null) return;
        using var scope = NewDisposeScope();
        foreach (var t in model.parameters().Cast<Tensor>().Concat(model.buffers()))
        {
            var host = t.cpu().contiguous();
            unsafe
            {
                fixed (byte* p = host.bytes) _world.Broadcast((IntPtr)p, (int)(host.numel() * host.ElementSize), "weights from rank 0");
            }
            using (no_grad()) t.copy_(host);
        }
    }

    /// <summary>The float buffers (BatchNorm's running statistics) that shards average; counters are left alone.</summary>
    static List<Tensor> FloatBuffers(ColorizationModel model) => model.buffers().Where(b => b.is_floating_point()).ToList();

    /// <summary>
    /// How many float32 values <see cref="EndStep"/> sums over the ranks each step: every parameter's
    /// gradient, the float buffers and 3 (loss, cancelled, time up). What one all-reduce moves.
    /// </summary>
    public static long ExchangedFloats(ColorizationModel model) =>
        model.parameters().Sum(p => p.numel()) + FloatBuffers(model).Sum(b => b.numel()) + 3;

    /// <summary>Before the first local shard: the buffers (running statistics, batch counters) the step starts from.</summary>
    public Tensor[]? BeginStep(ColorizationModel model) =>
        Shards == 1 ? null : model.buffers().Select(b => b.detach().clone()).ToArray();

    /// <summary>Before each local shard: back to the step's starting buffers (every shard starts from them, wherever it runs).</summary>
    public void BeforeShard(ColorizationModel model, Tensor[]? start)
    {
        if (start is null) return;
        using var _ = no_grad();
        var buffers = model.buffers().ToList();
        for (int i = 0; i < buffers.Count; i++) buffers[i].copy_(start[i]);
    }

    /// <summary>After a local shard: add the statistics it produced to the step's sum.</summary>
    public Tensor[]? AfterShard(ColorizationModel model, Tensor[]? sum)
    {
        if (Shards == 1) return null;
        using var _ = no_grad();
        var buffers = FloatBuffers(model);
        if (sum is null) return buffers.Select(b => b.detach().clone()).ToArray();
        for (int i = 0; i < buffers.Count; i++) sum[i].PlusInPlace(buffers[i]);
        return sum;
    }

    /// <summary>
    /// End of a step's shards: gradients (already scaled by 1/S per shard) and the running statistics
    /// summed over ranks, the statistics divided by S, and the loss sum and stop wishes shared. One
    /// collective for all of it. Returns the mean loss over the global batch, whether any rank was
    /// cancelled (Ctrl-C, SIGTERM) and whether rank 0's time budget is spent: every rank stops at the same step.
    /// </summary>
    public (double Loss, bool Stop, bool TimeUp) EndStep(ColorizationModel model, Tensor[]? statisticsSum, double localLossSum, bool cancelled, bool timeUp)
    {
        if (Shards == 1) return (localLossSum, cancelled, timeUp);
        using var scope = NewDisposeScope();
        var grads = model.parameters().Select(p => p.grad).ToList();
        var buffers = FloatBuffers(model);
        var parts = grads.Where(g => g is not null).Select(g => g!.reshape(-1))
            .Concat(statisticsSum!.Select(s => s.reshape(-1)))
            .Append(tensor(new[] { (float)localLossSum, cancelled ? 1f : 0f, timeUp ? 1f : 0f }))
            .ToList();
        var flat = cat(parts).contiguous();                                          // [all gradients, statistics, loss, stop]
        if (_world is not null) flat = SumOverRanks(flat, "gradients");
        long at = 0;
        using (no_grad())
        {
            foreach (var g in grads.Where(g => g is not null))
            {
                g!.copy_(flat.narrow(0, at, g.numel()).view_as(g));
                at += g.numel();
            }
            for (int i = 0; i < buffers.Count; i++)
            {
                var n = buffers[i].numel();
                buffers[i].copy_(flat.narrow(0, at, n).view_as(buffers[i]).div(S(Shards))); // the shards' mean
                at += n;
            }
        }
        var tail = flat.narrow(0, at, 3).data<float>().ToArray();
        return (tail[0] / Shards, tail[1] > 0 || tail[2] > 0, tail[2] > 0);
    }

    /// <summary>A float32 tensor summed over ranks (MPI reads host memory: a GPU tensor goes through a host copy).</summary>
    Tensor SumOverRanks(Tensor t, string what)
    {
        var host = t.cpu().contiguous();
        unsafe
        {
            fixed (byte* p = host.bytes) _world!.SumInPlace((IntPtr)p, host.numel(), what);
        }
        return host.to(t.device);
    }

    /// <summary>Throws <see cref="MpiException"/> when the ranks' weights differ (they must be identical after every step).</summary>
    public void CheckIdentical(ColorizationModel model, long step)
    {
        if (_world is null) return;
        using var scope = NewDisposeScope();
        double sum = 0, abs = 0;
        foreach (var p in model.parameters())
        {
            sum += p.sum().to(ScalarType.Float64).item<double>();
            abs += p.abs().sum().to(ScalarType.Float64).item<double>();
        }
        foreach (var (what, v) in new[] { ("sum", sum), ("sum of magnitudes", abs) })
            if (_world.Max(v, "weight check") != -_world.Max(-v, "weight check"))
                throw new MpiException($"the ranks' weights differ at step {step} ({what} of the weights not equal on every rank)");
    }
}
