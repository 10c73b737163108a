using ColorTrack.Color;
using ColorTrack.Data;
using ColorTrack.Model;
using ColorTrack.Training;

namespace ColorTrack.Analysis;

/// <summary>
/// A small training run for notebooks and demos: the real trainer and clip sampler with a few
/// settings chosen for speed. Returns the run folder (checkpoint + metrics.jsonl).
/// </summary>
public static class QuickTraining
{
    /// <param name="videos">Training videos (e.g. <see cref="VideoSet.Synthetic"/>).</param>
    /// <param name="bins">Colour bins fitted on them.</param>
    /// <param name="preset">Model size (default: tiny, which trains at ~100 clips/s on two free cores).</param>
    /// <param name="steps">Adam steps; the learning rate drops tenfold after 60% of them.</param>
    /// <param name="runDir">Where the checkpoint and metrics go (created).</param>
    /// <param name="batch">Clips per step.</param>
    /// <param name="seed">Seeds initialisation and data.</param>
    /// <param name="cancel">Stops after the current step (a checkpoint is written).</param>
    public static (TrainingOutcome Outcome, string RunDir) Run(VideoSet videos, KMeansColorQuantizer bins, string runDir,
        ColorizationPreset? preset = null, int steps = 200, int batch = 8, long seed = 0, CancellationToken cancel = default)
    {
        preset ??= ColorizationPreset.Tiny;
        var config = new TrainingConfig
        {
            Preset = preset.Name, Steps = steps, BatchSize = batch, LearningRateDropStep = (int)(0.6 * steps),
            CheckpointEvery = Math.Max(1, steps / 2), Seed = seed,
        };
        var trainer = new ColorizationTrainer(config, bins.Centroids,
            s => new ClipSampler(videos, bins, TrainingRun.SamplerOptionsFor(preset, batch, s)),
            runDir);
        return (trainer.Run(cancel: cancel), runDir);
    }

    /// <summary>
    /// A small model trained on synthetic video, shared by the notebooks: trained once into a cache
    /// folder (keyed by the settings and the library version) and reused afterwards. Training is
    /// deterministic, so a cached model is the one a fresh run would give. Returns the checkpoint path.
    /// </summary>
    public static string CachedSyntheticModel(int videos = 16, int side = 80, int frames = 48, int steps = 300, long seed = 0, ColorizationPreset? preset = null)
    {
        preset ??= ColorizationPreset.Tiny;
        var version = typeof(QuickTraining).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..8];
        var key = $"{preset.Name}-v{videos}-s{side}-f{frames}-n{steps}-seed{seed}-{version}";
        var dir = Path.Combine(Path.GetTempPath(), "colortrack-quick-models", key);
        var checkpoint = Path.Combine(dir, ColorizationCheckpoint.FileName);
        if (File.Exists(checkpoint)) return checkpoint;
        // Train into a private folder and rename it into place: a half-trained model is never shared.
        var temp = dir + "." + Guid.NewGuid().ToString("N")[..8] + ".partial";
        var set = VideoSet.Synthetic(videos, new Synthetic.SyntheticVideoOptions(Width: side, Height: side, Frames: frames, Seed: (int)seed), resample: true);
        Run(set, FitBins(set), temp, preset, steps, seed: seed);
        try { Directory.Move(temp, dir); }
        catch (IOException) when (File.Exists(checkpoint)) { Directory.Delete(temp, true); } // another process won the race
        return checkpoint;
    }

    /// <summary>16 colour bins fitted on a sample of the videos' ab values (3 restarts: quick).</summary>
    public static KMeansColorQuantizer FitBins(VideoSet videos, int seed = 0) =>
        TrainingRun.FitBins(videos, seed, maxSamples: 150_000);
}
