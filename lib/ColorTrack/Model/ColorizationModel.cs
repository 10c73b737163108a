using TorchSharp;
using TorchSharp.Modules;
using static ColorTrack.Runtime.Scalars;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ColorTrack.Model;

/// <summary>
/// The paper's embedding network (section 3.4, Appendix B): a ResNet shared over the frames of a clip
/// and a head giving a D-dimensional embedding per location and frame. With the paper's structure
/// (presets paper, small, tiny) a 2-channel map of each location's (x, y) in [-1, 1] is concatenated
/// to the features and the head is a 3D spatio-temporal stack; the per-frame presets (small-2d, cpu,
/// small-4, the Lab ones) have neither: a 2D head embeds every frame on its own (<see cref="ColorizationPreset"/>).
/// </summary>
public sealed class ColorizationModel : Module<Tensor, Tensor>
{
    readonly ResNetBackbone backbone;
    readonly SpatioTemporalHead head;

    public ColorizationPreset Preset { get; }

    /// <summary>Input pixels per embedding location (the backbone's output stride: 8, or 4 for small-4 and small-lab4).</summary>
    public int Stride => Preset.Backbone.OutputStride;

    /// <summary>Input channels: 1 (gray, L / 50 - 1: the paper) or 3 (Lab on the network scale, <see cref="Color.NetworkColor"/>).</summary>
    public int InputChannels => Preset.Backbone.InChannels;

    /// <summary>D, channels of the embedding.</summary>
    public int EmbeddingDim => Preset.EmbeddingDim;

    /// <summary>
    /// Frames an embedding depends on at inference: the training clip length (3 references + 1 target)
    /// when the head has temporal convolutions, else 1 (every frame on its own).
    /// </summary>
    public int WindowFrames => Preset.TemporalHead ? Preset.Frames : 1;

    /// <summary>Channels added to the backbone features: x and y of each location, when the preset uses them.</summary>
    int CoordinateChannels => Preset.CoordinateChannels ? 2 : 0;

    public ColorizationModel(ColorizationPreset preset) : base("ColorizationModel")
    {
        Preset = preset;
        backbone = new ResNetBackbone(preset.Backbone);
        head = new SpatioTemporalHead(preset.Backbone.OutChannels + CoordinateChannels, preset.HeadWidth, preset.HeadDilations, preset.EmbeddingDim, preset.TemporalHead);
        register_module("backbone", backbone);
        register_module("head", head);
        InitializeGaussian();
    }

    /// <summary>The per-frame ResNet (e.g. to initialise it from PyTorch weights).</summary>
    public ResNetBackbone Backbone => backbone;

    /// <summary>
    /// "The model is randomly initialized with Gaussian noise" (3.4): every conv weight is drawn from
    /// N(0, 2/fan_in) (He et al.; keeps activations at unit scale through the ReLUs), except the last
    /// conv, N(0, 1/fan_in), whose output is not rectified; biases 0, BatchNorm scale 1 and shift 0.
    /// Uses torch's global generator: seed it first.
    /// </summary>
    void InitializeGaussian()
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (p.dim() >= 4)
            {
                var fanIn = p.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
                var gain = name.StartsWith("head.layers.embed", StringComparison.Ordinal) ? 1.0 : 2.0;
                p.normal_(0, Math.Sqrt(gain / fanIn));
            }
            else if (name.EndsWith("bias", StringComparison.Ordinal)) p.zero_();
            else p.fill_(S(1.0)); // BatchNorm scale
        }
    }

    /// <summary>
    /// Training forward: clips [B, T, C, H, W] (C = <see cref="InputChannels"/>; gray in [-1, 1]) to embeddings [B, T, D, h, w].
    /// </summary>
    public override Tensor forward(Tensor gray)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (gray.shape[0], gray.shape[1]);
        var feats = backbone.forward(gray.flatten(0, 1));                 // [B*T, C, h, w]
        var (c, h, w) = (feats.shape[1], feats.shape[2], feats.shape[3]);
        var x = feats.view(b, t, c, h, w).permute(0, 2, 1, 3, 4);        // [B, C, T, h, w]
        if (Preset.CoordinateChannels)
            x = cat([x, Coordinates(b, t, h, w, x.device, x.dtype)], dim: 1);     // [B, C+2, T, h, w]
        var emb = head.forward(x);                                       // [B, D, T, h, w]
        return emb.permute(0, 2, 1, 3, 4).contiguous().MoveToOuterDisposeScope(); // [B, T, D, h, w]
    }

    /// <summary>(x, y) of every location, each in [-1, 1] (left/top = -1): [B, 2, T, h, w].</summary>
    static Tensor Coordinates(long b, long t, long h, long w, Device device, ScalarType dtype) // in the features' element type (bf16 too)
    {
        var ys = linspace(-1, 1, h, dtype: dtype, device: device).view(h, 1).expand(h, w);  // [h, w]
        var xs = linspace(-1, 1, w, dtype: dtype, device: device).view(1, w).expand(h, w);  // [h, w]
        return stack([xs, ys]).view(1, 2, 1, h, w).expand(b, 2, t, h, w);
    }

    /// <summary>
    /// Embeddings of a whole video for label propagation: frames [T, C, H, W] (gray in [-1, 1], or Lab) to
    /// [T, D, h, w] on the CPU, in eval mode, without building a graph.
    ///
    /// Temporal context: the 3x1x1 convs were trained on 4-frame clips. Frame t is embedded as the
    /// last frame of the window [t-3 .. t] (shorter at the start, where the zero padding is what a
    /// clip's first frames saw in training): the same view the target frame has in training, causal
    /// (an embedding never depends on later frames, so tracking can run online and a frame's
    /// embedding does not change when the video is longer), and identical for a frame whether it is
    /// used as a reference or as a target. Memory is bounded: the backbone runs on chunks of frames,
    /// the windows of a chunk go through the 3D stack as one batch, and only the last 3 frames'
    /// features are kept between chunks.
    /// </summary>
    public Tensor Embed(Tensor gray, int chunk = 8)
    {
        if (gray.dim() != 4 || gray.shape[1] != InputChannels)
            throw new ArgumentException($"Embed expects frames [T, {InputChannels}, H, W], got [{string.Join(", ", gray.shape)}]");
        var wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            var device = backbone.parameters().First().device;
            var frames = gray.shape[0];
            var w = WindowFrames;
            var outputs = new List<Tensor>();
            Tensor? context = null; // backbone features of the last (up to) w-1 frames: [P, C, h, w]
            try
            {
                for (long start = 0; start < frames; start += chunk)
                {
                    using var scope = NewDisposeScope();
                    var n = Math.Min(chunk, frames - start);
                    var feats = backbone.forward(gray.narrow(0, start, n).to(device));   // [n, C, h, w]
                    var p = context is null ? 0 : context.shape[0];
                    var seq = context is null ? feats : cat([context, feats]);          // [p+n, C, h, w]
                    // Frame i of the chunk is seq[p+i]; its window is seq[p+i-w+1 .. p+i].
                    var parts = new List<Tensor>();
                    var firstFull = Math.Max(0, w - 1 - p);                             // earlier ones: the video's first frames
                    for (var i = 0; i < Math.Min(firstFull, n); i++)
                        parts.Add(HeadLast(seq.narrow(0, 0, p + i + 1).unsqueeze(0)));   // [1, D, h, w]
                    if (firstFull < n)
                    {
                        var windows = seq.unfold(0, w, 1)                               // [p+n-w+1, C, h, w, w]: window k = seq[k..k+w-1]
                            .narrow(0, p + firstFull - w + 1, n - firstFull)
                            .permute(0, 4, 1, 2, 3);                                    // [m, w, C, h, w]
                        parts.Add(HeadLast(windows));                                   // [m, D, h, w]
                    }
                    outputs.Add(cat(parts).cpu().DetachFromDisposeScope());
                    var keep = Math.Min(w - 1, p + n);
                    context?.Dispose();
                    context = seq.narrow(0, p + n - keep, keep).clone().DetachFromDisposeScope();
                }
                return cat(outputs);                                                    // [T, D, h, w]
            }
            finally
            {
                foreach (var t in outputs) t.Dispose();
                context?.Dispose();
            }
        }
        finally
        {
            train(wasTraining);
        }
    }

    /// <summary>
    /// The network input for Lab frames [T, 3, H, W] (L in [0, 100]): gray L / 50 - 1 [T, 1, H, W] for
    /// the paper's models; for Lab models [T, 3, H, W] on the network scale, with the colour channels
    /// zeroed when <paramref name="hideColour"/> (what a frame that lost its a, b channels looks like in
    /// training: a gray target to colour by pointing).
    /// </summary>
    public Tensor InputFromLab(Tensor lab, bool hideColour = false)
    {
        using var scope = NewDisposeScope();
        Tensor l = lab.narrow(1, 0, 1).Safe() / Color.NetworkColor.LightnessScale - 1;        // [T, 1, H, W]
        if (InputChannels == 1) return l.MoveToOuterDisposeScope();
        Tensor ab = hideColour ? zeros_like(lab.narrow(1, 1, 2)) : lab.narrow(1, 1, 2).Safe() / Color.NetworkColor.ChromaScale;
        return cat([l, ab], 1).MoveToOuterDisposeScope();                             // [T, 3, H, W]
    }

    /// <summary>Windows of backbone features [m, L, C, h, w] to the embedding of each window's last frame [m, D, h, w].</summary>
    Tensor HeadLast(Tensor windows)
    {
        var (m, l, h, w) = (windows.shape[0], windows.shape[1], windows.shape[3], windows.shape[4]);
        var x = windows.permute(0, 2, 1, 3, 4);                                         // [m, C, L, h, w]
        if (Preset.CoordinateChannels)
            x = cat([x, Coordinates(m, l, h, w, x.device, x.dtype)], dim: 1);                    // [m, C+2, L, h, w]
        return head.forward(x).select(2, l - 1);                                        // [m, D, h, w]
    }
}
