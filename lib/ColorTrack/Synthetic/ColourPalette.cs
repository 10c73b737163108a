namespace ColorTrack.Synthetic;

/// <summary>
/// The few colours every texture of one video is painted with (background, objects, the figure), so
/// that colour alone no longer says which object a pixel belongs to: objects share colours with each
/// other and with the background, as in real video, and only pattern, shape and motion tell them apart.
/// Draws from its own generator, so a scene's geometry and motion are the same with or without one.
/// </summary>
internal sealed class ColourPalette
{
    readonly float[][] _colours;
    readonly Random _rng;

    public ColourPalette(int colours, int seed)
    {
        _rng = new Random(unchecked(seed * 31 + 0x5eed));
        _colours = Enumerable.Range(0, colours).Select(_ => ProceduralTexture.RandomColour(_rng)).ToArray();
    }

    public IReadOnlyList<float[]> Colours => _colours;

    /// <summary>One of the palette's colours, uniformly.</summary>
    public float[] Pick() => _colours[_rng.Next(_colours.Length)];
}
