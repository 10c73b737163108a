using System.Text;
using System.Text.Json;
using ColorTrack.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ColorTrack.Model;

/// <summary>
/// A trained (or training) colorization model on disk: its preset, weights and colour-bin centroids,
/// plus what the trainer needs to continue exactly (step, optimizer state, torch RNG state, config).
///
/// Format (one file): the magic line, a JSON header (preset, step, centroids, config), then length-
/// prefixed blobs (model weights in TorchSharp's format, optimizer state, RNG state), the SHA-256 of
/// the four sections (v2), and an end marker. Files are written with <see cref="AtomicFile"/>
/// (temporary file + rename), so a process killed while saving leaves the previous checkpoint
/// intact. Loading refuses, with one <see cref="BadInputException"/> line and before any large
/// allocation, a truncated or foreign file, a checksum that does not match (any flipped byte), a
/// header whose preset is out of sane ranges, and weights that are not finite. v1 files (no
/// checksum) still load, with the other checks.
/// </summary>
public sealed class ColorizationCheckpoint : IDisposable
{
    static readonly byte[] MagicV1 = "COLORTRACK-CHECKPOINT v1\n"u8.ToArray();
    static readonly byte[] Magic = "COLORTRACK-CHECKPOINT v2\n"u8.ToArray();
    static readonly byte[] EndMarker = "END-COLORTRACK-CHECKPOINT\n"u8.ToArray();

    /// <summary>File name the trainer uses for a run's latest checkpoint.</summary>
    public const string FileName = "checkpoint.ctckpt";

    public ColorizationModel Model { get; }
    public ColorizationPreset Preset => Model.Preset;
    /// <summary>The K colour-bin centroids (a, b) the model was trained to copy: float[K*2].</summary>
    public float[] Centroids { get; }
    /// <summary>Optimizer steps taken.</summary>
    public long Step { get; }
    /// <summary>The trainer's configuration, as JSON (opaque to this layer).</summary>
    public string ConfigJson { get; }
    byte[] OptimizerState { get; }
    byte[] RngState { get; }

    /// <summary>The file it was read from (for error messages).</summary>
    public string SourcePath { get; private init; } = "";

    ColorizationCheckpoint(ColorizationModel model, float[] centroids, long step, string configJson, byte[] optimizerState, byte[] rngState)
    {
        Model = model;
        Centroids = centroids;
        Step = step;
        ConfigJson = configJson;
        OptimizerState = optimizerState;
        RngState = rngState;
    }

    sealed record Header(ColorizationPreset Preset, long Step, float[] Centroids, string Config);

    /// <summary>Write a checkpoint atomically. The torch RNG state is captured now.</summary>
    public static void Save(string path, ColorizationModel model, long step, float[] centroids, string configJson, OptimizerHelper? optimizer = null)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Header(model.Preset, step, centroids, configJson), RunProvenance.Json);
        var weights = Blob(w => model.save(w));
        var opt = optimizer is null ? [] : Blob(w => optimizer.save_state_dict(w));
        using var rng = torch.random.get_rng_state();
        var rngBytes = rng.bytes.ToArray();
        AtomicFile.Write(path, s =>
        {
            using var w = new BinaryWriter(s, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            var parts = new[] { header, weights, opt, rngBytes };
            foreach (var part in parts)
            {
                w.Write((long)part.Length);
                w.Write(part);
            }
            w.Write(Checksum(parts));
            w.Write(EndMarker);
        });
    }

    /// <summary>SHA-256 over the sections, each prefixed by its length (so moving bytes between sections changes it too).</summary>
    static byte[] Checksum(byte[][] parts)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var part in parts)
        {
            sha.AppendData(BitConverter.GetBytes((long)part.Length));
            sha.AppendData(part);
        }
        return sha.GetHashAndReset();
    }

    static byte[] Blob(Action<BinaryWriter> write)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true)) write(w);
        return ms.ToArray();
    }

    /// <summary>Read a checkpoint; the model is built from the recorded preset (no other flag needed).</summary>
    public static ColorizationCheckpoint Load(string path, Device? device = null)
    {
        TorchRuntime.EnsureLoaded();
        if (!File.Exists(path)) throw new BadInputException(path, "checkpoint not found");
        byte[][] parts;
        try
        {
            using var r = new BinaryReader(File.OpenRead(path));
            var head = r.ReadBytes(Magic.Length);
            if (head.Length < Magic.Length && (Magic.AsSpan().StartsWith(head) || MagicV1.AsSpan().StartsWith(head)))
                throw new BadInputException(path, "checkpoint is truncated (file ends inside the header)");
            var v2 = head.AsSpan().SequenceEqual(Magic);
            if (!v2 && !head.AsSpan().SequenceEqual(MagicV1))
                throw new BadInputException(path, "not a ColorTrack checkpoint (wrong magic header)");
            parts = new byte[4][];
            for (var i = 0; i < parts.Length; i++)
            {
                var n = r.ReadInt64();
                if (n < 0 || n > r.BaseStream.Length - r.BaseStream.Position)
                    throw new BadInputException(path, "checkpoint is truncated or corrupt (a section runs past the end of the file)");
                if (n > int.MaxValue) throw new BadInputException(path, "checkpoint is corrupt (a section is larger than 2 GB)");
                parts[i] = r.ReadBytes((int)n);
            }
            if (v2)
            {
                var stored = r.ReadBytes(32);
                if (stored.Length < 32) throw new BadInputException(path, "checkpoint is truncated (file ends inside the checksum)");
                if (!stored.AsSpan().SequenceEqual(Checksum(parts)))
                    throw new BadInputException(path, "checkpoint is corrupt: its SHA-256 checksum does not match its contents (the file was damaged after it was written)");
            }
            if (!r.ReadBytes(EndMarker.Length).AsSpan().SequenceEqual(EndMarker))
                throw new BadInputException(path, "checkpoint is truncated (no end marker)");
        }
        catch (EndOfStreamException)
        {
            throw new BadInputException(path, "checkpoint is truncated (file ends early)");
        }

        Header header;
        try
        {
            header = JsonSerializer.Deserialize<Header>(parts[0], RunProvenance.Json)
                     ?? throw new JsonException("empty header");
        }
        catch (JsonException e)
        {
            throw new BadInputException(path, $"checkpoint header is not valid ({ErrorText.FirstLine(e.Message)})", e);
        }

        if (header.Preset is null || header.Centroids is null || header.Config is null)
            throw new BadInputException(path, "checkpoint header is not valid (preset, centroids or config missing)");
        if (CheckPreset(header.Preset, parts[1].Length) is { } problem)
            throw new BadInputException(path, $"checkpoint header is not valid: {problem}");
        if (header.Centroids.Length < 4 || header.Centroids.Length % 2 != 0 || header.Centroids.Any(c => !float.IsFinite(c)))
            throw new BadInputException(path, "checkpoint header is not valid: colour centroids must be K >= 2 finite (a, b) pairs");
        if (header.Step < 0) throw new BadInputException(path, $"checkpoint header is not valid: step {header.Step}");

        var model = new ColorizationModel(header.Preset);
        try
        {
            using var r = new BinaryReader(new MemoryStream(parts[1]));
            model.load(r, strict: true);
        }
        catch (Exception e)
        {
            model.Dispose();
            throw new BadInputException(path, $"checkpoint weights do not fit preset '{header.Preset.Name}' ({ErrorText.FirstLine(e.Message)})", e);
        }
        if (model.state_dict().FirstOrDefault(kv => kv.Value.is_floating_point() && !torch.isfinite(kv.Value).all().item<bool>()) is { Key: { } bad })
        {
            model.Dispose();
            throw new BadInputException(path, $"checkpoint weights are corrupt: '{bad}' holds NaN or infinite values");
        }
        if (device is not null) model.to(device);
        return new ColorizationCheckpoint(model, header.Centroids, header.Step, header.Config, parts[2], parts[3]) { SourcePath = path };
    }

    /// <summary>
    /// Sane ranges for a preset read from a file, checked before the model is built (a corrupt
    /// header must not allocate terabytes): sizes, widths and dilations within bounds, and a model
    /// whose float32 weights fit in the weights section. Null when fine, else the problem.
    /// </summary>
    static string? CheckPreset(ColorizationPreset p, long weightBytes)
    {
        var b = p.Backbone;
        if (b is null || p.HeadDilations is null || b.Widths is null || b.Blocks is null || b.Strides is null || b.Dilations is null) return "preset fields missing";
        if (p.InputSize is < 8 or > 4096) return $"input size {p.InputSize} outside 8..4096";
        if (p.EmbeddingDim is < 1 or > 4096) return $"embedding size {p.EmbeddingDim} outside 1..4096";
        if (p.HeadWidth is < 1 or > 4096) return $"head width {p.HeadWidth} outside 1..4096";
        if (p.Frames is < 2 or > 64) return $"clip length {p.Frames} outside 2..64";
        if (p.HeadDilations.Length is < 1 or > 16 || p.HeadDilations.Any(d => d is < 1 or > 256)) return "head dilations outside 1..256 (1..16 of them)";
        if (b.InChannels is not (1 or 3)) return $"input channels {b.InChannels} (1 or 3)";
        if (b.Widths.Length is < 1 or > 8 || b.Blocks.Length != b.Widths.Length || b.Strides.Length != b.Widths.Length || b.Dilations.Length != b.Widths.Length)
            return "backbone stages do not agree in number (1..8)";
        if (b.Widths.Any(w => w is < 1 or > 4096) || b.Blocks.Any(n => n is < 1 or > 64) || b.Strides.Any(s => s is < 1 or > 4) || b.Dilations.Any(d => d is < 1 or > 64))
            return "backbone widths, blocks, strides or dilations out of range";
        // The weights of this preset, counted without building it (3x3 convs, 1x1 downsamples, BatchNorms: an upper bound).
        long count = 7L * 7 * b.InChannels * b.Widths[0], inCh = b.Widths[0];
        for (int s = 0; s < b.Widths.Length; s++)
            for (int k = 0; k < b.Blocks[s]; k++) { count += 9L * inCh * b.Widths[s] + 9L * b.Widths[s] * b.Widths[s] + inCh * b.Widths[s] + 8L * b.Widths[s]; inCh = b.Widths[s]; }
        long c = b.OutChannels + (p.CoordinateChannels ? 2 : 0);
        foreach (var _ in p.HeadDilations) { count += 9L * c * p.HeadWidth + (p.TemporalHead ? 3L * p.HeadWidth * p.HeadWidth : 0) + 8L * p.HeadWidth; c = p.HeadWidth; }
        count += c * p.EmbeddingDim + p.EmbeddingDim;
        // float32 bytes of that bound; a real file holds about as many. 16x slack: never refuses a real
        // model, always refuses a header that would allocate far more than the file could fill.
        if (4 * count > 16 * weightBytes + (1 << 20))
            return $"preset '{p.Name}' needs about {count * 4 / 1e6:F0} MB of weights but the file holds {weightBytes / 1e6:F1} MB";
        return null;
    }

    /// <summary>Whether it holds an optimizer state (a training checkpoint, not exported weights).</summary>
    public bool HasOptimizerState => OptimizerState.Length > 0;

    /// <summary>Load the saved optimizer state into an optimizer built over <see cref="Model"/>'s parameters.</summary>
    public void RestoreOptimizer(OptimizerHelper optimizer)
    {
        if (!HasOptimizerState) throw new InvalidOperationException("this checkpoint has no optimizer state");
        using var r = new BinaryReader(new MemoryStream(OptimizerState));
        try { optimizer.load_state_dict(r); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new BadInputException(SourcePath, $"checkpoint's optimizer state does not fit the model ({ErrorText.FirstLine(e.Message)})", e);
        }
    }

    /// <summary>Set torch's global RNG to its state when the checkpoint was written.</summary>
    public void RestoreRng()
    {
        if (RngState.Length == 0) return;
        using var state = torch.tensor(RngState, dtype: ScalarType.Byte);
        torch.random.set_rng_state(state);
    }

    public void Dispose() => Model.Dispose();
}
