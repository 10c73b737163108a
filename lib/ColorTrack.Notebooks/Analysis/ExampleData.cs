using ColorTrack.Datasets;
using ColorTrack.Imaging;
using ColorTrack.Model;
using ColorTrack.Propagation;
using ColorTrack.Synthetic;
using ColorTrack.Video;

namespace ColorTrack.Analysis;

/// <summary>
/// What notebooks 04-07 start from, in one place: the model they show (the shipped one unless a
/// checkpoint is given), the scale and propagation options it tracks with, and the videos with their
/// truth — real data when a path is given, else held-out synthetic videos made here.
/// </summary>
public static class ExampleData
{
    /// <summary>The short side the shipped model's scale refers to when its manifest predates "referenceShortSide".</summary>
    public const int ReferenceShortSide = TrackerSpec.DavisShortSide;

    /// <summary>
    /// The checkpoint to show: <paramref name="path"/> if given (a shipped model's name, "default" or "paper", is
    /// that model, hash-checked), else the shipped default model, else — only when no shipped model is
    /// installed — a small model trained here on synthetic video.
    /// </summary>
    public static string Checkpoint(string? path = null) =>
        path is not null ? ShippedModel.Resolve(path).Path : ShippedModel.TryLoadCheckpoint() ?? QuickTraining.CachedSyntheticModel();

    /// <summary>Whether <paramref name="checkpoint"/> is the file of a shipped model (the default or the paper model).</summary>
    public static bool IsShipped(string checkpoint) => ShippedManifest(checkpoint) is not null;

    /// <summary>The propagation options the model tracks with: a shipped model's own (its manifest's, chosen on
    /// the validation split), else <see cref="PropagationSettings.Best"/>.</summary>
    public static PropagationSettings TrackingSettings(string checkpoint) =>
        ShippedManifest(checkpoint) is { } manifest ? TrackerFactory.ManifestTracking(manifest).Settings : PropagationSettings.Best;

    /// <summary>The manifest of the shipped model whose file <paramref name="checkpoint"/> is, or null.</summary>
    static ModelManifest? ShippedManifest(string checkpoint)
    {
        foreach (var name in ShippedModel.Names)
            if (ShippedModel.FindManifest(name) is { } path && File.Exists(path))
            {
                var manifest = ModelManifest.Load(path);
                if (manifest.CheckpointPath(path) == Path.GetFullPath(checkpoint)) return manifest;
            }
        return null;
    }

    /// <summary>
    /// The frame scale the model tracks frames of <paramref name="shortSide"/> pixels at. The shipped
    /// model's manifest scale was chosen at <see cref="ReferenceShortSide"/>, so frames are brought to the
    /// same working size (scale x 480 px on the short side) — never enlarged; another checkpoint tracks
    /// at the size it was trained at (training frames are shrunk to ~InputSize / 0.9).
    /// </summary>
    public static double TrackScale(string checkpoint, int shortSide)
    {
        if (ShippedManifest(checkpoint) is { } manifest)
        {
            return RescaledTracker.EffectiveScale(TrackerFactory.ManifestTracking(manifest).Scale,
                TrackerFactory.ManifestReferenceShortSide(manifest) ?? ReferenceShortSide, shortSide, shortSide);
        }
        using var c = ColorizationCheckpoint.Load(checkpoint);
        return TrackerComparison.TrainingScale(c.Preset.InputSize, shortSide);
    }

    /// <summary>Videos with first-frame masks in the DAVIS layout: where they are, which, and their frames' short side.</summary>
    public sealed record Segmentation(string Root, IReadOnlyList<DavisSequence> Sequences, int ShortSide)
    {
        public string FramesFolder(DavisSequence s) => s.FramesFolder ?? DavisDataset.FramesFolderOf(Root, s.Name);
    }

    /// <summary>
    /// Sequences to segment: from <paramref name="davisRoot"/> (a DAVIS layout; <paramref name="names"/>,
    /// or all; each cut to its first <paramref name="frames"/> frames), or, with no root,
    /// <paramref name="syntheticVideos"/> held-out synthetic videos written under <paramref name="work"/>
    /// (seeds never used in training; 128 px, the demo's size).
    /// </summary>
    public static Segmentation Segmentations(string? davisRoot, string work, IReadOnlyList<string>? names = null, int frames = 24, int syntheticVideos = 4)
    {
        string root;
        IReadOnlyList<DavisSequence> sequences;
        if (davisRoot is null)
        {
            root = Path.Combine(work, "heldout");
            var written = SyntheticVideoGenerator.WriteDataset(root, syntheticVideos, new SyntheticVideoOptions(Width: 128, Height: 128, Frames: frames, Seed: 4242), "val");
            sequences = DavisDataset.Open(root, sequences: written.ToArray());
        }
        else
        {
            root = davisRoot;
            sequences = DavisDataset.Open(root, sequences: (names ?? SequenceNames(root)).ToArray())
                .Select(s => s with { Frames = s.Frames.Take(frames).ToList() }).ToList();
        }
        int shortSide;
        using (var probe = FrameSources.Open(sequences[0].FramesFolder ?? DavisDataset.FramesFolderOf(root, sequences[0].Name)))
            shortSide = Math.Min(probe.Width, probe.Height);
        return new Segmentation(root, sequences, shortSide);
    }

    /// <summary>The sequences of a DAVIS-layout root that have annotations (Annotations/480p/&lt;seq&gt;/), in order.</summary>
    public static IReadOnlyList<string> SequenceNames(string davisRoot)
    {
        var annotations = Path.Combine(davisRoot, "Annotations", "480p");
        if (!Directory.Exists(annotations)) throw new BadInputException(annotations, "no Annotations/480p folder: not a DAVIS-layout root");
        return Directory.GetDirectories(annotations).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>A clip with true joints: the frames (opened on demand), the truth, and the frame size.</summary>
    public sealed record PoseClip(JhmdbJoints Truth, Func<IFrameSource> Open, int Width, int Height);

    /// <summary>A JHMDB clip folder (its joint_positions.mat beside it), or a held-out synthetic walking figure.</summary>
    public static PoseClip Pose(string? jhmdbClip, int syntheticFrames = 32)
    {
        JhmdbJoints truth;
        Func<IFrameSource> open;
        if (jhmdbClip is null)
        {
            var video = SyntheticVideoGenerator.Generate(new SyntheticVideoOptions(Width: 160, Height: 160, Frames: syntheticFrames, Objects: 2, Seed: 77), "figure");
            truth = KeypointComparison.Truth(video.Keypoints!, "figure");
            open = () => video.AsFrameSource();
        }
        else
        {
            truth = JhmdbJoints.Load(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(jhmdbClip))!, "joint_positions.mat"), Path.GetFileName(Path.GetFullPath(jhmdbClip)));
            open = () => FrameSources.Open(jhmdbClip);
        }
        using var s = open();
        return new PoseClip(truth, open, s.Width, s.Height);
    }

    /// <summary>Frames with their true masks, as the model embeds them.</summary>
    public sealed record MaskedVideo(string Name, IReadOnlyList<VideoFrame> Frames, IReadOnlyList<IndexedMask> Masks);

    /// <summary>
    /// One video with masks at <paramref name="width"/> pixels wide, its aspect ratio kept (both sides
    /// rounded to a multiple of <paramref name="multiple"/>, the model's stride; masks resized by nearest
    /// neighbour): the first <paramref name="frames"/> frames of a DAVIS sequence, or (no root) a held-out
    /// synthetic video made from <paramref name="syntheticSeed"/>.
    /// </summary>
    public static MaskedVideo Masked(string? davisRoot, string sequence, int frames, int width, int multiple, int syntheticSeed = 314)
    {
        int Round(double v) => Math.Max(multiple, (int)Math.Round(v / multiple) * multiple);
        if (davisRoot is null)
        {
            var side = Round(width);
            var video = SyntheticVideoGenerator.Generate(new SyntheticVideoOptions(Width: side, Height: side, Frames: frames, Seed: syntheticSeed), $"synthetic-{syntheticSeed}");
            return new MaskedVideo(video.Name, video.Frames.ToList(), video.Masks.ToList());
        }
        var seq = DavisDataset.Open(davisRoot, sequences: [sequence])[0];
        var folder = seq.FramesFolder ?? DavisDataset.FramesFolderOf(davisRoot, seq.Name);
        int w, h;
        using (var probe = FrameSources.Open(folder)) (w, h) = (Round(width), Round(width * (double)probe.Height / probe.Width));
        using var src = FrameSources.Open(folder, new FrameSourceOptions(Width: w, Height: h, MaxFrames: Math.Min(frames, seq.Frames.Count)));
        var list = src.Frames().ToList();
        var masks = seq.Frames.Take(list.Count).Select(f => MaskPng.Read(seq.MaskPath(f)).ResizeNearest(w, h)).ToList();
        return new MaskedVideo(seq.Name, list, masks);
    }
}
