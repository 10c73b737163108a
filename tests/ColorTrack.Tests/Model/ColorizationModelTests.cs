using ColorTrack.Model;
using ColorTrack.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Model;

public class ColorizationModelTests
{
    public ColorizationModelTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData("paper", 32, 64)]
    [InlineData("small", 16, 64)]
    [InlineData("tiny", 8, 32)]
    [InlineData("cpu", 16, 32)]
    [InlineData("small-2d", 16, 64)]
    public void Forward_GivesOneEmbeddingMapPerFrame(string name, int side, int dim)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var preset = ColorizationPreset.Named(name);
        using var model = new ColorizationModel(preset);
        using var noGrad = no_grad();
        var gray = rand(new long[] { 1, 4, 1, preset.InputSize, preset.InputSize }) * 2 - 1; // one clip [B, T, 1, H, W]
        var emb = model.forward(gray);
        Assert.Equal(new long[] { 1, 4, dim, side, side }, emb.shape);
        Assert.Equal(side, preset.FeatureSize);
        Assert.Equal(8, model.Stride);
        Assert.True(emb.isfinite().all().item<bool>());
    }

    [Fact]
    public void Embed_InBFloat16_RunsWithCoordinateChannels_AndAgreesWithFp32()
    {
        // tiny adds (x, y) channels before its 3D head: they must take the features' element type.
        manual_seed(0);
        using var model = new ColorizationModel(ColorizationPreset.Tiny);
        var gray = rand(5, 1, 64, 64) * 2 - 1;                                   // [T, 1, H, W]
        var fp32 = model.Embed(gray);
        model.to(ScalarType.BFloat16);
        var bf16 = model.Embed(gray.to(ScalarType.BFloat16));
        Assert.Equal(fp32.shape, bf16.shape);
        var cosine = nn.functional.cosine_similarity(fp32, bf16.to(ScalarType.Float32), dim: 1); // [T, h, w]
        Assert.True(cosine.min().item<float>() > 0.98, $"lowest cosine {cosine.min().item<float>()}");
    }

    [Fact]
    public void PaperPreset_MatchesAppendixB()
    {
        using var model = new ColorizationModel(ColorizationPreset.Paper);
        var p = model.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter.shape);
        // ResNet-18: 8 BasicBlocks (2 per stage), 256-channel output.
        Assert.Equal(new long[] { 64, 1, 7, 7 }, p["backbone.conv1.weight"]);
        Assert.Equal(new long[] { 256, 256, 3, 3 }, p["backbone.layer4.1.conv2.weight"]);
        // 3D stack: 256 + 2 coordinate channels in; 1x3x3 and 3x1x1 convs; final 1x1x1 to 64.
        Assert.Equal(new long[] { 256, 258, 1, 3, 3 }, p["head.layers.spatial0.weight"]);
        Assert.Equal(new long[] { 256, 256, 3, 1, 1 }, p["head.layers.temporal4.weight"]);
        Assert.Equal(new long[] { 64, 256, 1, 1, 1 }, p["head.layers.embed.weight"]);
        Assert.Equal(11, p.Keys.Count(k => k.StartsWith("head.layers.", StringComparison.Ordinal) && k.EndsWith(".weight", StringComparison.Ordinal) && p[k].Length == 5));
        Assert.DoesNotContain("head.layers.embed_bn.weight", p.Keys); // no BN/ReLU after the last conv
    }

    [Fact]
    public void Init_IsGaussianWithHeScale_AndSeeded()
    {
        manual_seed(5);
        using var a = new ColorizationModel(ColorizationPreset.Tiny);
        manual_seed(5);
        using var b = new ColorizationModel(ColorizationPreset.Tiny);
        var wa = a.state_dict()["head.layers.temporal0.weight"];
        Assert.True(wa.equal(b.state_dict()["head.layers.temporal0.weight"]).all().item<bool>());
        var expectedStd = Math.Sqrt(2.0 / (64 * 3));
        Assert.InRange(wa.std().item<float>(), 0.95 * expectedStd, 1.05 * expectedStd);
        Assert.InRange(wa.mean().item<float>(), -0.05 * expectedStd, 0.05 * expectedStd);
    }

    [Fact]
    public void Embed_IsCausalWindowedAndMatchesTrainingForwardOnAFourFrameClip()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var model = new ColorizationModel(ColorizationPreset.Tiny);
        model.eval();
        var video = rand(11, 1, 64, 64) * 2 - 1; // [T, 1, H, W]
        var all = model.Embed(video, chunk: 4);
        Assert.Equal(new long[] { 11, 32, 8, 8 }, all.shape);
        Assert.False(all.requires_grad);
        Assert.False(model.training); // mode restored
        // The chunk size (how frames are batched) does not change the result.
        foreach (var chunk in new[] { 1, 2, 16 })
            Assert.True(all.allclose(model.Embed(video, chunk), rtol: 1e-4, atol: 1e-5), $"chunk {chunk}");
        // Causal: frame 5's embedding does not depend on frames after it.
        var prefix = model.Embed(video.narrow(0, 0, 6));
        Assert.True(all[5].allclose(prefix[5], rtol: 1e-4, atol: 1e-5));
        // Frame t is the last frame of the window [t-3, t]: exactly the training forward of that clip.
        using var noGrad = no_grad();
        var clip = model.forward(video.narrow(0, 4, 4).unsqueeze(0)); // frames 4..7, [1, 4, D, h, w]
        Assert.True(all[7].allclose(clip[0, 3], rtol: 1e-4, atol: 1e-5));
        // And it is not just the backbone: context matters (frame 7 alone differs).
        var alone = model.Embed(video.narrow(0, 7, 1));
        Assert.False(all[7].allclose(alone[0], rtol: 1e-3, atol: 1e-4));
    }

    [Fact]
    public void PerFramePreset_EmbedsEachFrameAlone_WhereverItSitsInAClip()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var preset = ColorizationPreset.Tiny with { Name = "tiny-per-frame", TemporalHead = false, CoordinateChannels = false };
        using var model = new ColorizationModel(preset);
        model.eval();
        Assert.Equal(1, model.WindowFrames);
        var p = model.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter.shape);
        Assert.DoesNotContain(p.Keys, k => k.Contains("temporal", StringComparison.Ordinal));
        Assert.Equal(new long[] { 64, 64, 1, 3, 3 }, p["head.layers.spatial0.weight"]); // 64 backbone channels, no (x, y)
        using var noGrad = no_grad();
        var video = rand(5, 1, 64, 64) * 2 - 1;                          // [T, 1, H, W]
        var clip = model.forward(video.narrow(0, 0, 4).unsqueeze(0));     // frames 0..3: [1, 4, D, h, w]
        var shifted = model.forward(video.narrow(0, 1, 4).unsqueeze(0));  // frames 1..4: frame 1 is now first
        Assert.True(clip[0, 1].allclose(shifted[0, 0], rtol: 1e-4, atol: 1e-5));  // a reference is embedded like a target
        var all = model.Embed(video);
        Assert.True(all[3].allclose(clip[0, 3], rtol: 1e-4, atol: 1e-5));
        Assert.True(all[3].allclose(model.Embed(video.narrow(0, 3, 1))[0], rtol: 1e-4, atol: 1e-5));
        // The paper's head differs by position: the same frame first or second in a clip gets another embedding.
        manual_seed(3);
        using var paperLike = new ColorizationModel(ColorizationPreset.Tiny);
        paperLike.eval();
        var a = paperLike.forward(video.narrow(0, 0, 4).unsqueeze(0));
        var b = paperLike.forward(video.narrow(0, 1, 4).unsqueeze(0));
        Assert.False(a[0, 1].allclose(b[0, 0], rtol: 1e-3, atol: 1e-4));
    }
}
