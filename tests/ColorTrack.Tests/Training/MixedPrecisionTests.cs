using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Tests.Support;
using ColorTrack.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Training;

/// <summary>
/// Mixed precision (train --precision bf16): bf16 products on a replica, fp32 master weights, Adam,
/// BatchNorm and loss. It must follow fp32's training, resume exactly, and leave checkpoints fp32.
/// </summary>
public sealed class MixedPrecisionTests : IDisposable
{
    readonly ITestOutputHelper output;
    readonly int threads;

    public MixedPrecisionTests(ITestOutputHelper output)
    {
        this.output = output;
        TorchRuntime.EnsureLoaded();
        threads = torch.get_num_threads();
        torch.set_num_threads(1); // as ColorizationTrainerTests: deterministic, and fast beside other jobs
    }

    public void Dispose() => torch.set_num_threads(threads);

    static TrainingConfig Tiny(int steps, string precision) => ColorizationTrainerTests.Tiny(steps) with { Precision = precision };

    static ColorizationTrainer Trainer(TrainingConfig c, string dir) => ColorizationTrainerTests.Trainer(c, dir);

    [Fact]
    public void Replica_ComputesInBf16_WhileTheMasterAndBatchNormStayFp32()
    {
        manual_seed(0);
        using var master = new ColorizationModel(ColorizationPreset.Tiny);
        using var replica = new BFloat16Replica(master);
        replica.Pull();
        Assert.All(master.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        foreach (var (name, p) in replica.Model.named_parameters())
            Assert.Equal(name.Contains("bn", StringComparison.Ordinal) || name.Contains("_bn", StringComparison.Ordinal) || name.Contains("downsample.1", StringComparison.Ordinal)
                ? ScalarType.Float32 : ScalarType.BFloat16, p.dtype);
        // The pulled weights are the master's, rounded to bf16 (8 significant bits).
        var m = master.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in replica.Model.named_parameters())
            Assert.True(p.to(ScalarType.Float32).allclose(m[name], rtol: 1e-2, atol: 1e-6), name);
        // It does not move torch's generator: a resumed run builds one after restoring it.
        manual_seed(5);
        var expected = rand(3).data<float>().ToArray();
        manual_seed(5);
        using (new BFloat16Replica(master)) { }
        Assert.Equal(expected, rand(3).data<float>().ToArray());
    }

    [Fact]
    public void MixedPrecisionTraining_FollowsFp32_AndLearns()
    {
        using var fp32 = new TempDir();
        using var bf16 = new TempDir();
        Trainer(Tiny(60, ComputePrecision.Fp32), fp32.Path).Run();
        Trainer(Tiny(60, ComputePrecision.Bf16), bf16.Path).Run();
        var a = MetricsLog.Read(fp32.Path).Select(p => p.Loss).ToArray();
        var b = MetricsLog.Read(bf16.Path).Select(p => p.Loss).ToArray();
        output.WriteLine($"fp32 {string.Join(" ", a.Take(6).Select(l => l.ToString("F4")))} ... last 10 mean {a.TakeLast(10).Average():F4}");
        output.WriteLine($"bf16 {string.Join(" ", b.Take(6).Select(l => l.ToString("F4")))} ... last 10 mean {b.TakeLast(10).Average():F4}");
        // Same weights and clips: the first step differs only by bf16 rounding of the products.
        Assert.Equal(a[0], b[0], 0.01 * a[0]);
        // And training goes the same way: both learn, to within a tenth of each other's loss.
        Assert.True(b.TakeLast(10).Average() < 0.7 * b.Take(10).Average(), "mixed precision learns");
        Assert.Equal(a.TakeLast(10).Average(), b.TakeLast(10).Average(), 0.1 * a.TakeLast(10).Average());
        using var ck = ColorizationCheckpoint.Load(Path.Combine(bf16.Path, "checkpoint.ctckpt"));
        Assert.All(ck.Model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype)); // checkpoints hold the fp32 master
    }

    [Fact]
    public void MixedPrecision_ResumeContinuesExactly()
    {
        using var whole = new TempDir();
        using var parts = new TempDir();
        Trainer(Tiny(10, ComputePrecision.Bf16), whole.Path).Run();
        using var cts = new CancellationTokenSource();
        Trainer(Tiny(10, ComputePrecision.Bf16), parts.Path).Run(progress: p => { if (p.Step == 4) cts.Cancel(); }, cancel: cts.Token);
        Trainer(Tiny(10, ComputePrecision.Bf16), parts.Path).Run(resume: true);
        Assert.Equal(MetricsLog.Read(whole.Path).Select(p => p.Loss), MetricsLog.Read(parts.Path).Select(p => p.Loss));
    }
}
