namespace ColorTrack.Synthetic;

/// <summary>
/// Something drawn over the background: posed once per frame, then asked per pixel whether it
/// covers that world point and with which colour.
/// </summary>
internal interface ISceneLayer
{
    /// <summary>Id written into the masks (1..N).</summary>
    int Id { get; }

    /// <summary>Fix the pose at frame <paramref name="t"/> (called before any <see cref="Cover"/> of that frame).</summary>
    void Pose(int t);

    /// <summary>World-space bounding box of the posed layer (minX, minY, maxX, maxY).</summary>
    (double X0, double Y0, double X1, double Y1) Bounds { get; }

    /// <summary>Does the posed layer cover world point (x, y)? If so, its colour there.</summary>
    bool Cover(double x, double y, Span<float> rgb);
}
