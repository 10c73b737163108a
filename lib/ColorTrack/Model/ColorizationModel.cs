using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ColorTrack.Model;

/// <summary>
/// The paper's embedding network (section 3.4, Appendix B): a ResNet shared over the frames of a clip,
/// a 2-channel map of each location's (x, y) in [-1, 1] concatenated to its features, and a 3D
/// spatio-temporal stack giving a D-dimensional embedding per location and frame.
/// </summary>
public sealed class ColorizationModel : Module<Tensor, Tensor>
{
    readonly ResNetBackbone backbone;
    readonly SpatioTemporalHead head;

    public ColorizationPreset Preset { get; }

    /// <summary>Input pixels per embedding location (8 for every preset).</summary>
    public int Stride => Preset.Backbone.OutputStride;

    /// <summary>D, channels of the embedding.</summary>
    public int EmbeddingDim => Preset.EmbeddingDim;

    /// <summary>Frames the temporal convolutions were trained on (3 references + 1 target).</summary>
    public int WindowFrames => Preset.Frames;

    public ColorizationModel(ColorizationPreset preset) : base("ColorizationModel")
    {
        Preset = preset;
        backbone = new ResNetBackbone(preset.Backbone);
        head = new SpatioTemporalHead(preset.Backbone.OutChannels + 2, preset.HeadWidth, preset.HeadDilations, preset.EmbeddingDim);
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
            else if (name.EndsWith(".bias", StringComparison.Ordinal) || name.EndsWith("bias", StringComparison.Ordinal)) p.zero_();
            else p.fill_(1.0); // BatchNorm scale
        }
    }

    /// <summary>
    /// Training forward: gray clips [B, T, 1, H, W] in [-1, 1] to embeddings [B, T, D, h, w].
    /// </summary>
    public override Tensor forward(Tensor gray)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (gray.shape[0], gray.shape[1]);
        var feats = backbone.forward(gray.flatten(0, 1));                 // [B*T, C, h, w]
        var (c, h, w) = (feats.shape[1], feats.shape[2], feats.shape[3]);
        var x = feats.view(b, t, c, h, w).permute(0, 2, 1, 3, 4);        // [B, C, T, h, w]
        x = cat([x, Coordinates(b, t, h, w, x.device)], dim: 1);         // [B, C+2, T, h, w]
        var emb = head.forward(x);                                       // [B, D, T, h, w]
        return emb.permute(0, 2, 1, 3, 4).contiguous().MoveToOuterDisposeScope(); // [B, T, D, h, w]
    }

    /// <summary>(x, y) of every location, each in [-1, 1] (left/top = -1): [B, 2, T, h, w].</summary>
    static Tensor Coordinates(long b, long t, long h, long w, Device device)
    {
        var ys = linspace(-1, 1, h, device: device).view(h, 1).expand(h, w);  // [h, w]
        var xs = linspace(-1, 1, w, device: device).view(1, w).expand(h, w);  // [h, w]
        return stack([xs, ys]).view(1, 2, 1, h, w).expand(b, 2, t, h, w);
    }

    /// <summary>
    /// Embeddings of a whole video for label propagation: gray frames [T, 1, H, W] in [-1, 1] to
    /// [T, D, h, w] on the CPU, in eval mode, without building a graph.
    ///
    /// Temporal context: the 3x1x1 convs were trained on 4-frame clips. Frame t is embedded as the
    /// last frame of the window [t-3 .. t] (shorter at the start, where the zero padding is what a
    /// clip's first frames saw in training): the same view the target frame has in training, causal
    /// (an embedding never depends on later frames, so tracking can run online and a frame's
    /// embedding does not change when the video is longer), and identical for a frame whether it is
    /// used as a reference or as a target. Memory is bounded: the backbone runs on chunks of frames
    /// and only the last 3 frames' features are kept between chunks.
    /// </summary>
    public Tensor Embed(Tensor gray, int chunk = 8)
    {
        if (gray.dim() != 4 || gray.shape[1] != 1)
            throw new ArgumentException($"Embed expects gray frames [T, 1, H, W], got [{string.Join(", ", gray.shape)}]");
        var wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            var device = backbone.parameters().First().device;
            var frames = gray.shape[0];
            var outputs = new List<Tensor>();
            var context = new List<Tensor>(); // backbone features of the previous frames, [C, h, w] each
            try
            {
                for (long start = 0; start < frames; start += chunk)
                {
                    using var scope = NewDisposeScope();
                    var n = Math.Min(chunk, frames - start);
                    var feats = backbone.forward(gray.narrow(0, start, n).to(device)); // [n, C, h, w]
                    for (var i = 0; i < n; i++)
                    {
                        context.Add(feats[i].DetachFromDisposeScope());
                        while (context.Count > WindowFrames) { context[0].Dispose(); context.RemoveAt(0); }
                        var window = stack(context).unsqueeze(0);                  // [1, L, C, h, w]
                        var (l, c, h, w) = (window.shape[1], window.shape[2], window.shape[3], window.shape[4]);
                        var x = window.permute(0, 2, 1, 3, 4);                     // [1, C, L, h, w]
                        x = cat([x, Coordinates(1, l, h, w, device)], dim: 1);     // [1, C+2, L, h, w]
                        var emb = head.forward(x)[0, .., -1];                      // [D, h, w] of frame t
                        outputs.Add(emb.cpu().DetachFromDisposeScope());
                    }
                }
                return stack(outputs);                                             // [T, D, h, w]
            }
            finally
            {
                foreach (var t in outputs) t.Dispose();
                foreach (var t in context) t.Dispose();
            }
        }
        finally
        {
            train(wasTraining);
        }
    }
}
