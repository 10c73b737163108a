namespace ColorTrack.Synthetic;

/// <summary>
/// What the synthetic video generator draws. Defaults are small (320x240, 40 frames) so tests and
/// the demo run in seconds; everything is deterministic from <see cref="Seed"/>.
/// </summary>
/// <param name="Width">Frame width in pixels.</param>
/// <param name="Height">Frame height in pixels.</param>
/// <param name="Frames">Frames per video.</param>
/// <param name="Objects">Textured blobs per video (the stick figure comes on top of these when <see cref="StickFigure"/>).</param>
/// <param name="StickFigure">Add one articulated stick figure (15 JHMDB-style joints) whose keypoints are recorded.</param>
/// <param name="FramesPerSecond">Nominal rate the motion is designed for (DAVIS: 24).</param>
/// <param name="Speed">Scales all motion (1 = objects cross a good part of the frame over the video).</param>
/// <param name="CameraPan">Camera pan over the video as a fraction of the frame size.</param>
/// <param name="Lighting">Amplitude of the global and gradient lighting changes (0 = constant).</param>
/// <param name="BlurSigma">Largest Gaussian blur sigma in pixels (drawn per video).</param>
/// <param name="Noise">Standard deviation of the pixel noise in 8-bit levels.</param>
/// <param name="Seed">Seeds the whole video.</param>
/// <param name="Palette">Colours shared by every texture of a video, background included (0 = each texture
/// draws its own, so colour alone nearly identifies an object; 3-4 make colour ambiguous, as in real video).
/// The scene's geometry and motion do not depend on it.</param>
/// <param name="LimbTextures">The figure's texture rides on each limb, as clothing does, instead of staying with the belly while
/// the limbs swing under it. The scene's geometry and motion do not depend on it.</param>
public sealed record SyntheticVideoOptions(
    int Width = 320,
    int Height = 240,
    int Frames = 40,
    int Objects = 3,
    bool StickFigure = true,
    double FramesPerSecond = 24,
    double Speed = 1.0,
    double CameraPan = 0.15,
    double Lighting = 0.2,
    double BlurSigma = 0.8,
    double Noise = 3.0,
    int Seed = 0,
    int Palette = 0,
    bool LimbTextures = false)
{
    /// <summary>Tiny videos for unit tests.</summary>
    public static readonly SyntheticVideoOptions Tiny = new(Width: 96, Height: 64, Frames: 12, Objects: 2);

    /// <summary>Throws <see cref="ArgumentException"/> on sizes the generator cannot draw.</summary>
    public void Validate()
    {
        if (Width < 16 || Height < 16 || Width > 4096 || Height > 4096) throw new ArgumentException($"frame size {Width}x{Height} must be within 16..4096");
        if (Frames < 1) throw new ArgumentException("at least one frame");
        if (Objects < 0 || Objects > 250) throw new ArgumentException("objects must be within 0..250");
        if (Palette < 0 || Palette > 64) throw new ArgumentException("palette must be within 0..64 colours");
    }
}
