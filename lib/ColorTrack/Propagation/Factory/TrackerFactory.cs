using System.Text.Json;
using System.Text.Json.Nodes;
using ColorTrack.Baselines;
using ColorTrack.Contracts;
using ColorTrack.Model;
using ColorTrack.Runtime;

namespace ColorTrack.Propagation;

/// <summary>
/// Builds every tracker the workbench compares — a trained model (a checkpoint, the shipped model, or
/// a model in memory), the Lab-pixel pointer, ImageNet features, identity, optical flow — from a
/// <see cref="TrackerSpec"/>. The factory owns what it loads: each checkpoint or weights file is loaded
/// once, however many videos its trackers track (one after another), and disposed with the factory.
/// </summary>
public sealed class TrackerFactory : IDisposable
{
    readonly Dictionary<string, IFrameEncoder> _encoders = [];

    /// <summary>The spec with every default made explicit (what a run records): the checkpoint's real path
    /// and the shipped model's options, the encoder's settings, the scale.</summary>
    public TrackerSpec Resolve(TrackerSpec spec)
    {
        if (!TrackerSpec.Kinds.Contains(spec.Kind))
            throw BadInputException.Setting("TrackerSpec.Kind", $"unknown tracker '{spec.Kind}' (choose one of: {string.Join(", ", TrackerSpec.Kinds)})");
        var (checkpoint, manifest) = spec.Kind == TrackerSpec.ModelKind
            ? ShippedModel.Resolve(spec.Checkpoint ?? throw BadInputException.Setting("TrackerSpec.Checkpoint", "a model tracker needs a checkpoint"))
            : (null, null);
        (double Scale, PropagationSettings Settings)? shipped = manifest is null ? null : ManifestTracking(manifest);
        var settings = !spec.Propagates ? null : spec.Settings ?? shipped?.Settings ?? (spec.Kind == TrackerSpec.Pixels ? PixelLabEncoder.BestSettings : PropagationSettings.Best);
        // The manifest's scale is relative to the size its options were chosen at; a scale the caller gives multiplies the clip's own size.
        var reference = spec.ReferenceShortSide ?? (spec.Scale is null && manifest is not null ? ManifestReferenceShortSide(manifest) : null);
        var resolved = spec with
        {
            Checkpoint = checkpoint, Sha256 = manifest?.Sha256 ?? spec.Sha256, Settings = settings,
            Scale = spec.Scale ?? shipped?.Scale ?? 1.0, ReferenceShortSide = reference,
        };
        Check(resolved);
        return resolved;
    }

    /// <summary>The tracker a spec describes (its encoder loaded once per factory).</summary>
    public ILabelTracker Create(TrackerSpec spec)
    {
        var s = Resolve(spec);
        ILabelTracker tracker = s.Kind switch
        {
            TrackerSpec.Identity => new IdentityBaseline(),
            TrackerSpec.Flow => new OpticalFlowBaseline(OpticalFlowSettings.Default with { Recursive = s.FlowRecursive }),
            _ => new PropagationTracker(Encoder(s), s.Settings!),
        };
        return s.Scale == 1.0 && s.ReferenceShortSide is null ? tracker : new RescaledTracker(tracker, s.Scale!.Value, referenceShortSide: s.ReferenceShortSide);
    }

    /// <summary>A model in memory (validation during training): tracked with <paramref name="settings"/>; the
    /// model stays the caller's, its encoder is the factory's.</summary>
    public ILabelTracker Create(ColorizationModel model, PropagationSettings settings)
    {
        settings.Validate();
        var encoder = new ColorizationEncoder(model);
        _encoders[$"memory:{_encoders.Count}"] = encoder;
        return new PropagationTracker(encoder, settings);
    }

    IFrameEncoder Encoder(TrackerSpec s)
    {
        // The networks compute in the settings' element type too (the Lab-pixel encoder has no network).
        var compute = s.Settings!.ComputeType;
        var key = s.Kind switch
        {
            TrackerSpec.ModelKind => $"model:{Path.GetFullPath(s.Checkpoint!)}:{compute}",
            TrackerSpec.ImageNet18 => $"imagenet18:{Path.GetFullPath(s.Weights!)}:{compute}",
            _ => $"pixels:{s.PixelStride}",
        };
        if (!_encoders.TryGetValue(key, out var encoder))
            _encoders[key] = encoder = s.Kind switch
            {
                TrackerSpec.ModelKind => new ColorizationEncoder(s.Checkpoint!, compute),
                TrackerSpec.ImageNet18 => new ImageNetResNetEncoder(s.Weights!, compute),
                _ => new PixelLabEncoder(s.PixelStride),
            };
        return encoder;
    }

    static void Check(TrackerSpec s)
    {
        if (s.Kind == TrackerSpec.ImageNet18 && s.Weights is null)
            throw BadInputException.Setting("TrackerSpec.Weights", "the imagenet18 tracker needs the resnet18 ImageNet state_dict (.pth, up to layer 3)");
        if (s.PixelStride < 1) throw BadInputException.Setting("TrackerSpec.PixelStride", $"must be at least 1, got {s.PixelStride}");
        if (!(s.Scale is > 0 and <= 4)) throw BadInputException.Setting("TrackerSpec.Scale", $"must be in (0, 4], got {s.Scale}");
        s.Settings?.Validate();
    }

    // ---------------------------------------------------------------- the shipped model's options

    /// <summary>A shipped model's tracking options: its manifest's "tracking" object is a serialized
    /// <see cref="PropagationSettings"/> plus "scale" (so a new option is one settings field).</summary>
    public static (double Scale, PropagationSettings Settings) ManifestTracking(ModelManifest manifest)
    {
        var node = manifest.Tracking;
        var scale = node["scale"]?.GetValue<double>() ?? 1.0;
        var settings = node.Deserialize<PropagationSettings>(RunProvenance.Json) ?? PropagationSettings.Best;
        return (scale, settings);
    }

    /// <summary>The short side a shipped model's scale refers to ("referenceShortSide"), or null (the clip's own size) in older manifests.</summary>
    public static int? ManifestReferenceShortSide(ModelManifest manifest) => manifest.Tracking["referenceShortSide"]?.GetValue<int>();

    /// <summary>The manifest's "tracking" object for options chosen for a model, at a scale of frames
    /// <paramref name="referenceShortSide"/> pixels on their short side (validation runs on DAVIS 480p).</summary>
    public static JsonObject ManifestTracking(double scale, PropagationSettings settings, int referenceShortSide = TrackerSpec.DavisShortSide)
    {
        settings.Validate();
        if (!(scale is > 0 and <= 4)) throw BadInputException.Setting("TrackerSpec.Scale", $"must be in (0, 4], got {scale}");
        if (referenceShortSide < 16) throw BadInputException.Setting("TrackerSpec.ReferenceShortSide", $"must be at least 16 px, got {referenceShortSide}");
        var node = JsonSerializer.SerializeToNode(settings, RunProvenance.Json)!.AsObject();
        node.Insert(0, "scale", scale);
        node.Insert(1, "referenceShortSide", referenceShortSide);
        return node;
    }

    public void Dispose()
    {
        foreach (var e in _encoders.Values) e.Dispose();
        _encoders.Clear();
    }
}
