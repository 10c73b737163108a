namespace ColorTrack.Datasets;

/// <summary>One joint in one frame: pixel coordinates (x right, y down, zero-based) and whether it is visible.</summary>
public readonly record struct Keypoint(float X, float Y, bool Visible);
