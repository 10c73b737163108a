namespace ColorTrack.Cli.Demo;

/// <summary>
/// What `colortrack demo` does. Defaults run end to end on a fresh clone in well under 15 minutes on
/// a 2-core machine: synthetic videos, ten minutes of colorization training (by default fine-tuning the shipped
/// model), evaluation on held-out synthetic videos.
/// </summary>
/// <param name="Out">Output folder (data, bins, run with checkpoint and metrics, results, report.html).</param>
/// <param name="Minutes">Training time budget; training stops at the first step after it (checkpoint saved).</param>
/// <param name="Preset">Model preset (see `colortrack train --help`).</param>
/// <param name="TrainVideos">Synthetic training videos (when no real videos are given).</param>
/// <param name="TestVideos">Held-out synthetic videos to track and score (when no DAVIS root is given).</param>
/// <param name="Size">Side of the synthetic videos' frames (square, a multiple of 8).</param>
/// <param name="Frames">Frames per synthetic video.</param>
/// <param name="HeldOutSeed">Seeds the held-out synthetic videos: one fixed set, like a benchmark's test split, whatever <see cref="Seed"/> is.</param>
/// <param name="Batch">Clips per training step.</param>
/// <param name="Seed">Seeds the training videos, the initialisation and the training (not the held-out videos: a seed's
/// figures then differ from another's only by what training did, which is the spread over seeds the demo reports).</param>
/// <param name="Videos">Real unlabelled videos to train on instead (files or folders).</param>
/// <param name="Davis">A DAVIS-layout root to evaluate on instead of the held-out synthetic videos.</param>
/// <param name="DavisSet">Image set of the DAVIS root.</param>
/// <param name="DavisYear">Year of the DAVIS image sets (2016 or 2017).</param>
/// <param name="Device">auto (CUDA when available, else the CPU), cpu or cuda[:N].</param>
/// <param name="Palette">Colours shared by every texture of a synthetic video, background included (0 = each
/// texture its own, where raw colour nearly identifies each object and the Lab-pixel pointer is hard to beat).</param>
/// <param name="Objective">What the pointer learns to copy; null: the preset's (lab for the Lab presets, else the paper's bins).</param>
/// <param name="InitFrom">A trained model to fine-tune (a checkpoint, or a shipped model: default, paper) instead of training from
/// scratch; it trains at the fine-tuning rate (the shipped runs' rate after their drop, 1e-4) from the first step.
/// Default: the shipped model (docs/demo.md: ten minutes from scratch do not make a tracker on these scenes). Null: from scratch.</param>
/// <param name="TrackSize">Clips smaller than this many pixels on their short side are tracked enlarged to it by both
/// pointers (the model's and the Lab pixels'): on the demo's 128-px videos their feature grids (stride 4 and 8) are
/// otherwise too coarse (measured in docs/demo.md: the shipped model 0.363 J&amp;F at 1x, 0.478 at 2x; the Lab pixels
/// 0.288, 0.411). Flow stays at the frames' own size, its best for keypoints (PCK@0.2 46.8 at 1x, 38.5 at 2x).</param>
/// <param name="LimbTextures">The stick figure's texture rides on each limb, as clothing does, in the training and the
/// held-out videos (<see cref="ColorTrack.Synthetic.SyntheticVideoOptions.LimbTextures"/>).</param>
/// <param name="CloseUps">When the held-out clips are tracked enlarged (<see cref="TrackSize"/>), train on close-up crops
/// of the synthetic training videos that show their objects at the size the pointer then sees them (crop side
/// 0.8-1.2 x InputSize / TrackSize of the frame), instead of whole frames at the videos' own size (measured in
/// docs/demo.md over three seeds: J&amp;F 0.465-0.489 against 0.445-0.478, PCK@0.2 36.6-41.4 against 36.8-41.9).</param>
/// <param name="KeypointTrackSize">When the held-out clips are tracked enlarged (<see cref="TrackSize"/>), the pointers
/// that search within a radius (the best options) track the keypoints enlarged to this size instead, the radius
/// enlarged alike (<see cref="ColorTrack.Analysis.TrackerComparison.WithKeypointZoom"/>): a grid fine enough for a
/// joint on a limb one or two cells wide at 256 px. Null: <see cref="TrackSize"/>, as the masks. 512 puts the model just ahead
/// of flow's PCK@0.2 and takes the demo from 13 to 21 minutes on 2 cores (docs/demo.md measures both).</param>
/// <param name="LearningRate">Adam's rate for the whole run; null: the paper's 1e-3 from scratch, 1e-4 when fine-tuning
/// (<see cref="InitFrom"/>; the shipped runs' rate after their drop).</param>
public sealed record DemoOptions(
    string Out = "demo-output",
    double Minutes = 10,
    string Preset = "small-lab4",
    int TrainVideos = 24,
    int TestVideos = 4,
    int Size = 128,
    int Frames = 40,
    int HeldOutSeed = 7_777,
    int Batch = 8,
    int Seed = 0,
    IReadOnlyList<string>? Videos = null,
    string? Davis = null,
    string DavisSet = "val",
    string DavisYear = "2016",
    string Device = "auto",
    int Palette = 3,
    string? Objective = null,
    string? InitFrom = "default",
    int TrackSize = 256,
    bool CloseUps = true,
    bool LimbTextures = false,
    double? LearningRate = null,
    int? KeypointTrackSize = null)
{
    /// <summary>The objective trained: <see cref="Objective"/>, or the preset's own.</summary>
    public string ObjectiveFor(ColorTrack.Model.ColorizationPreset preset) => Objective ?? (preset.Backbone.InChannels == 3 ? "lab" : "bins");
}
