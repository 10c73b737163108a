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
/// prefixed blobs (model weights in TorchSharp's format, optimizer state, RNG state) and an end
/// marker. Files are written with <see cref="AtomicFile"/> (temporary file + rename), so a process
/// killed while saving leaves the previous checkpoint intact; a truncated or foreign file is refused
/// with <see cref="BadInputException"/>.
/// </summary>
public sealed class ColorizationCheckpoint : IDisposable
{
    static readonly byte[] Magic = "COLORTRACK-CHECKPOINT v1\n"u8.ToArray();
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
            foreach (var part in new[] { header, weights, opt, rngBytes })
            {
                w.Write((long)part.Length);
                w.Write(part);
            }
            w.Write(EndMarker);
        });
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
            if (head.Length < Magic.Length && Magic.AsSpan().StartsWith(head))
                throw new BadInputException(path, "checkpoint is truncated (file ends inside the header)");
            if (!head.AsSpan().SequenceEqual(Magic))
                throw new BadInputException(path, "not a ColorTrack checkpoint (wrong magic header)");
            parts = new byte[4][];
            for (var i = 0; i < parts.Length; i++)
            {
                var n = r.ReadInt64();
                if (n < 0 || n > r.BaseStream.Length - r.BaseStream.Position)
                    throw new BadInputException(path, "checkpoint is truncated or corrupt (a section runs past the end of the file)");
                parts[i] = r.ReadBytes((int)n);
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
        if (device is not null) model.to(device);
        return new ColorizationCheckpoint(model, header.Centroids, header.Step, header.Config, parts[2], parts[3]);
    }

    /// <summary>Whether it holds an optimizer state (a training checkpoint, not exported weights).</summary>
    public bool HasOptimizerState => OptimizerState.Length > 0;

    /// <summary>Load the saved optimizer state into an optimizer built over <see cref="Model"/>'s parameters.</summary>
    public void RestoreOptimizer(OptimizerHelper optimizer)
    {
        if (!HasOptimizerState) throw new InvalidOperationException("this checkpoint has no optimizer state");
        using var r = new BinaryReader(new MemoryStream(OptimizerState));
        optimizer.load_state_dict(r);
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
