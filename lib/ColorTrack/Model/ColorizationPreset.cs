namespace ColorTrack.Model;

/// <summary>
/// A named colorization-model size. Every preset runs a 2D ResNet on each frame and a head ending in a
/// 1x1x1 conv to the embedding. The paper's structure (<see cref="Paper"/>, <see cref="Small"/>,
/// <see cref="Tiny"/>) adds 2 coordinate channels and Appendix B's alternating 1x3x3 / 3x1x1 3D stack;
/// the per-frame presets drop both, and the Lab presets see colour (Backbone.InChannels = 3) for the
/// reconstruction objective. A checkpoint records its preset.
/// </summary>
/// <param name="Name">Lower-case name used on the command line and in checkpoints.</param>
/// <param name="Description">One line for listings (CLI help, run configs).</param>
/// <param name="InputSize">Frames are resized to InputSize x InputSize gray images.</param>
/// <param name="Backbone">The per-frame 2D ResNet (gray input, or Lab for the Lab presets).</param>
/// <param name="HeadWidth">Channels of the head's convolutions (3D stack or per-frame 2D; paper: 256).</param>
/// <param name="HeadDilations">Spatial dilation of each 1x3x3 conv; each is followed by a 3x1x1 conv (paper: 1,2,4,8,16).</param>
/// <param name="EmbeddingDim">D, the embedding size of each location (paper: 64).</param>
/// <param name="Frames">Frames per training clip: Frames-1 references and one target (paper: 4).</param>
/// <param name="TemporalHead">The 3D stack's 3x1x1 temporal convs (paper: yes). Without them every frame is
/// embedded on its own, so references and target are embedded alike in training and in tracking.</param>
/// <param name="CoordinateChannels">Concatenate each location's (x, y) to the features (paper: yes). They let
/// the pointer prefer "the same place in the previous frame", a shortcut a short training run falls into.</param>
public sealed record ColorizationPreset(
    string Name,
    string Description,
    int InputSize,
    ResNetConfig Backbone,
    int HeadWidth,
    int[] HeadDilations,
    int EmbeddingDim,
    int Frames = 4,
    bool TemporalHead = true,
    bool CoordinateChannels = true)
{
    /// <summary>Side of the embedding map: InputSize / output stride (paper: 256 / 8 = 32).</summary>
    public int FeatureSize => InputSize / Backbone.OutputStride;

    /// <summary>
    /// The paper (section 3.4, Appendix B): 256x256 gray frames, ResNet-18 at output stride 8 giving
    /// 32x32x256, the 3D stack at 256 channels with dilations 1,2,4,8,16, 64-d embeddings.
    /// </summary>
    public static readonly ColorizationPreset Paper = new(
        "paper", "the paper: 256x256, ResNet-18 (OS 8, 256 ch), 3D stack 256 ch, 64-d",
        256, ResNetConfig.PaperResNet18(), 256, [1, 2, 4, 8, 16], 64);

    /// <summary>
    /// A CPU-sized model: 128x128 input, a one-block-per-stage ResNet 32/64/128 (OS 8, 16x16 map),
    /// 3D stack at 128 channels, 64-d embeddings.
    /// </summary>
    public static readonly ColorizationPreset Small = new(
        "small", "CPU: 128x128, ResNet 32/64/128 one block per stage (OS 8), 3D stack 128 ch, 64-d",
        128, new ResNetConfig(1, [32, 64, 128], [1, 1, 1], [1, 2, 1], [1, 1, 2]), 128, [1, 2, 4, 8, 16], 64);

    /// <summary>
    /// The smallest model, for tests and quick experiments on 2 cores: 64x64 input, ResNet 16/32/64
    /// (OS 8, 8x8 map), 3D stack at 64 channels with dilations 1,2,4 (larger ones only see padding
    /// on an 8x8 map), 32-d embeddings.
    /// </summary>
    public static readonly ColorizationPreset Tiny = new(
        "tiny", "CPU/tests: 64x64, ResNet 16/32/64 one block per stage (OS 8), 3D stack 64 ch, 32-d",
        64, new ResNetConfig(1, [16, 32, 64], [1, 1, 1], [1, 2, 1], [1, 1, 2]), 64, [1, 2, 4], 32);

    /// <summary>
    /// Small without the paper's temporal convs and coordinate channels: every frame is embedded on its
    /// own, from appearance alone. On a CPU budget this trains into a tracker where the paper's
    /// structure first learns the shortcut "copy the same place of the last reference" (models/README.md,
    /// "Why per-frame presets"). The shipped real-video model uses it.
    /// </summary>
    public static readonly ColorizationPreset Small2D = Small with
    {
        Name = "small-2d",
        Description = "CPU: small (128x128, ResNet 32/64/128, OS 8) with a per-frame 2D head 128 ch and no coordinate channels, 64-d",
        TemporalHead = false,
        CoordinateChannels = false,
    };

    /// <summary>
    /// What `colortrack demo` trains in a few CPU minutes: 128x128 input so the embedding map is 16x16
    /// (objects of the synthetic videos span several cells), the tiny widths, and a per-frame 2D head
    /// (dilations 1,2,4,8) without coordinate channels, 32-d.
    /// </summary>
    public static readonly ColorizationPreset Cpu = new(
        "cpu", "CPU demo: 128x128, ResNet 16/32/64 (OS 8, 16x16 map), per-frame 2D head 64 ch, no coordinate channels, 32-d",
        128, new ResNetConfig(1, [16, 32, 64], [1, 1, 1], [1, 2, 1], [1, 1, 2]), 64, [1, 2, 4, 8], 32,
        TemporalHead: false, CoordinateChannels: false);

    /// <summary>
    /// small-2d at output stride 4 (a 32x32 map for a 128x128 frame): no stage stride, dilations 1,2,4
    /// keep the receptive field, and a lighter per-frame head (64 ch, dilations 1,2,4,8). Later trackers
    /// report finer embeddings as their largest single gain (MAST, CRW).
    /// </summary>
    public static readonly ColorizationPreset Small4 = Small2D with
    {
        Name = "small-4",
        Description = "CPU: small-2d at output stride 4 (32x32 map for 128x128), per-frame head 64 ch, 64-d",
        Backbone = new ResNetConfig(1, [32, 64, 128], [1, 1, 1], [1, 1, 1], [1, 2, 4]),
        HeadWidth = 64,
        HeadDilations = [1, 2, 4, 8],
    };

    /// <summary>small-2d seeing Lab colour (3 input channels), for the Lab reconstruction objective.</summary>
    public static readonly ColorizationPreset SmallLab = Small2D with
    {
        Name = "small-lab",
        Description = "CPU: small-2d with Lab input (3 channels, for the lab objective), OS 8, 64-d",
        Backbone = Small2D.Backbone with { InChannels = 3 },
    };

    /// <summary>small-4 seeing Lab colour: stride-4 embeddings for the Lab reconstruction objective.</summary>
    public static readonly ColorizationPreset SmallLab4 = Small4 with
    {
        Name = "small-lab4",
        Description = "CPU: small-4 with Lab input (3 channels, for the lab objective), OS 4, 64-d",
        Backbone = Small4.Backbone with { InChannels = 3 },
    };

    public static IReadOnlyList<ColorizationPreset> All { get; } = [Paper, Small, Tiny, Small2D, Cpu, Small4, SmallLab, SmallLab4];

    /// <summary>The preset with this name (case-insensitive), or <see cref="BadInputException"/> listing the names.</summary>
    public static ColorizationPreset Named(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw BadInputException.Setting("ColorizationPreset.Name", $"unknown preset '{name}' (choose one of: {string.Join(", ", All.Select(p => p.Name))})");
}
