using ColorTrack.Model;
using ColorTrack.Runtime;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ColorTrack.Tests.Model;

public class SafeBatchNormTests
{
    public SafeBatchNormTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void SafeBatchNorm_ComputesExactlyWhatTorchSharpsBatchNormDoes_InTrainingAndEval(int dims)
    {
        using var scope = NewDisposeScope();
        var ours = new SafeBatchNorm(5, dims);
        Module<Tensor, Tensor> theirs = dims == 2 ? BatchNorm2d(5) : BatchNorm3d(5);
        manual_seed(1);
        using (no_grad())
            foreach (var (name, p) in ours.named_parameters())
            {
                p.uniform_(0.5, 1.5);
                theirs.named_parameters().Single(q => q.name == name).parameter.copy_(p);
            }
        Assert.Equal(theirs.state_dict().Keys.Order(), ours.state_dict().Keys.Order());
        long[] shape = dims == 2 ? [4, 5, 6, 7] : [2, 5, 3, 6, 7];
        foreach (var train in new[] { true, true, false, true, false })
        {
            ours.train(train);
            theirs.train(train);
            var x = randn(shape) * 3 + 2;
            Assert.True(ours.forward(x).allclose(theirs.forward(x), rtol: 0, atol: 1e-6), $"output, training={train}");
            foreach (var (k, v) in theirs.state_dict())
                Assert.True(ours.state_dict()[k].allclose(v, rtol: 0, atol: 1e-6), $"{k}, training={train}");
        }
    }
}
