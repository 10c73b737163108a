using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using ColorTrack.Model;
using ColorTrack.Runtime;
using ColorTrack.Tests.Support;
using static TorchSharp.torch;

namespace ColorTrack.Tests.Model;

/// <summary>A damaged checkpoint is refused in one line before any work, whatever part is damaged.</summary>
public class CheckpointIntegrityTests
{
    public CheckpointIntegrityTests() => TorchRuntime.EnsureLoaded();

    static readonly float[] Centroids = [0f, 0f, 10f, -20f, 35.5f, 4f];

    static byte[] SavedTiny(TempDir dir)
    {
        manual_seed(2);
        using var model = new ColorizationModel(ColorizationPreset.Tiny);
        using var opt = optim.Adam(model.parameters(), lr: 1e-3);
        ColorizationCheckpoint.Save(dir["a.ctckpt"], model, 5, Centroids, "{}", opt);
        return File.ReadAllBytes(dir["a.ctckpt"]);
    }

    static BadInputException Refused(TempDir dir, byte[] bytes)
    {
        File.WriteAllBytes(dir["bad.ctckpt"], bytes);
        var e = Assert.Throws<BadInputException>(() => ColorizationCheckpoint.Load(dir["bad.ctckpt"]).Dispose());
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("bad.ctckpt", e.Message);
        return e;
    }

    [Fact]
    public void OverwrittenBytes_AnywhereInTheWeights_FailTheChecksum()
    {
        using var dir = new TempDir();
        var good = SavedTiny(dir);
        foreach (var at in new[] { good.Length / 3, good.Length / 2, good.Length - 200 })
        {
            var bad = (byte[])good.Clone();
            for (int i = 0; i < 4000 && at + i < bad.Length - 100; i++) bad[at + i] = 0xFF;
            Assert.Contains("checksum", Refused(dir, bad).Message);
        }
    }

    [Fact]
    public void OneFlippedBit_IsRefused()
    {
        using var dir = new TempDir();
        var good = SavedTiny(dir);
        var bad = (byte[])good.Clone();
        bad[good.Length * 2 / 3] ^= 0x10;
        Refused(dir, bad);
    }

    /// <summary>Rewrite the JSON header (and the checksum, as a careful forger would), keeping everything else.</summary>
    static byte[] WithHeader(byte[] file, Func<JsonNode, JsonNode> edit)
    {
        var magic = Encoding.UTF8.GetByteCount("COLORTRACK-CHECKPOINT v2\n");
        var parts = new List<byte[]>();
        var at = magic;
        for (int i = 0; i < 4; i++)
        {
            var n = (int)BitConverter.ToInt64(file, at);
            parts.Add(file[(at + 8)..(at + 8 + n)]);
            at += 8 + n;
        }
        parts[0] = Encoding.UTF8.GetBytes(edit(JsonNode.Parse(parts[0])!).ToJsonString());
        using var ms = new MemoryStream();
        ms.Write(file, 0, magic);
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var p in parts)
        {
            ms.Write(BitConverter.GetBytes((long)p.Length));
            ms.Write(p);
            sha.AppendData(BitConverter.GetBytes((long)p.Length));
            sha.AppendData(p);
        }
        ms.Write(sha.GetHashAndReset());
        ms.Write("END-COLORTRACK-CHECKPOINT\n"u8);
        return ms.ToArray();
    }

    [Theory]
    [InlineData(2_000_000_000)]
    [InlineData(-1)]
    [InlineData(4_000_000)]
    public void AbsurdHeaderValues_AreRefusedBeforeAnyLargeAllocation(long embeddingDim)
    {
        using var dir = new TempDir();
        var good = SavedTiny(dir);
        var bad = WithHeader(good, h => { h["preset"]!["embeddingDim"] = embeddingDim; return h; });
        var before = Process.GetCurrentProcess().PeakWorkingSet64;
        var e = Refused(dir, bad);
        Assert.Contains("header", e.Message);
        Assert.True(Process.GetCurrentProcess().PeakWorkingSet64 - before < 200_000_000, "refusing must not allocate the model");
    }

    [Fact]
    public void NonFiniteWeights_AreRefused_EvenWithAValidChecksum()
    {
        using var dir = new TempDir();
        manual_seed(2);
        using var model = new ColorizationModel(ColorizationPreset.Tiny);
        using (no_grad()) model.parameters().First().fill_(float.NaN);
        ColorizationCheckpoint.Save(dir["nan.ctckpt"], model, 5, Centroids, "{}");
        var e = Assert.Throws<BadInputException>(() => ColorizationCheckpoint.Load(dir["nan.ctckpt"]).Dispose());
        Assert.Contains("NaN", e.Message);
    }

    [Fact]
    public void VersionOneFiles_WithoutAChecksum_StillLoad()
    {
        using var dir = new TempDir();
        var v2 = SavedTiny(dir);
        var magic = Encoding.UTF8.GetByteCount("COLORTRACK-CHECKPOINT v2\n");
        var end = Encoding.UTF8.GetByteCount("END-COLORTRACK-CHECKPOINT\n");
        var v1 = Encoding.UTF8.GetBytes("COLORTRACK-CHECKPOINT v1\n").Concat(v2[magic..^(end + 32)]).Concat(v2[^end..]).ToArray();
        File.WriteAllBytes(dir["v1.ctckpt"], v1);
        using var ck = ColorizationCheckpoint.Load(dir["v1.ctckpt"]);
        Assert.Equal(5, ck.Step);
    }
}
