namespace ColorTrack.Color;

/// <summary>
/// How CIE Lab values are scaled for the network, in one place so training clips and tracking frames
/// agree: lightness L in [0, 100] becomes L / 50 - 1 in [-1, 1] (the paper's gray input), and the
/// colour channels a, b (about -100..100, mostly within ±60) become a / 50 and b / 50, so all three
/// channels have about the same spread. Regression objectives predict values on this scale.
/// </summary>
public static class NetworkColor
{
    public const float LightnessScale = 50f;
    public const float ChromaScale = 50f;

    public static float Lightness(float l) => l / LightnessScale - 1f;
    public static float Chroma(float ab) => ab / ChromaScale;
}
