namespace ColorTrack.Synthetic;

/// <summary>
/// A textured blob: a star-shaped outline r(θ) = 1 + Σ a_k cos(kθ + φ_k) that translates (steady
/// drift plus a wobble, often out of the frame), rotates, scales unevenly and changes its outline
/// over time. The texture is attached to the object's own frame, so it moves, turns and stretches with it.
/// </summary>
internal sealed class BlobObject : ISceneLayer
{
    const int Harmonics = 3; // k = 2, 3, 4
    readonly ProceduralTexture _texture;
    readonly double _radius, _x0, _y0, _vx, _vy, _wobble, _wobbleFreq, _wobblePhase;
    readonly double _angle0, _spin, _scaleAmp, _scaleFreq, _stretchAmp, _deformFreq;
    readonly double[] _a = new double[Harmonics], _phase = new double[Harmonics];

    // The pose of the current frame.
    double _cx, _cy, _cos, _sin, _sx, _sy, _extent;
    readonly double[] _at = new double[Harmonics];

    public int Id { get; }
    public (double X0, double Y0, double X1, double Y1) Bounds { get; private set; }

    /// <param name="id">Mask id.</param>
    /// <param name="rng">Draws every parameter.</param>
    /// <param name="world">Size of the region the objects start in (frame plus camera pan).</param>
    /// <param name="minSide">The frame's smaller side; radii and speeds scale with it.</param>
    /// <param name="frames">Length of the video, so drifts are spread over it.</param>
    /// <param name="speed">Scales all motion.</param>
    /// <param name="palette">The video's shared colours, or null for colours of its own.</param>
    public BlobObject(int id, Random rng, (double W, double H) world, double minSide, int frames, double speed, ColourPalette? palette = null)
    {
        Id = id;
        _texture = ProceduralTexture.Create(rng, 64, palette: palette);
        _radius = minSide * (0.10 + 0.12 * rng.NextDouble());
        _x0 = world.W * (0.1 + 0.8 * rng.NextDouble());
        _y0 = world.H * (0.1 + 0.8 * rng.NextDouble());
        // Drift up to ~0.8 of the frame over the video: some objects leave the frame.
        double heading = rng.NextDouble() * 2 * Math.PI, travel = speed * minSide * (0.1 + 0.7 * rng.NextDouble()) / Math.Max(1, frames - 1);
        (_vx, _vy) = (travel * Math.Cos(heading), travel * Math.Sin(heading));
        _wobble = speed * minSide * 0.05 * rng.NextDouble();
        _wobbleFreq = 2 * Math.PI * (0.5 + rng.NextDouble()) / Math.Max(8, frames);
        _wobblePhase = rng.NextDouble() * 2 * Math.PI;
        _angle0 = rng.NextDouble() * 2 * Math.PI;
        _spin = speed * (rng.NextDouble() - 0.5) * 0.08;                  // radians per frame
        _scaleAmp = 0.25 * rng.NextDouble();
        _scaleFreq = 2 * Math.PI * (0.3 + rng.NextDouble()) / Math.Max(8, frames);
        _stretchAmp = 0.2 * rng.NextDouble();
        _deformFreq = 2 * Math.PI * (0.5 + 1.5 * rng.NextDouble()) / Math.Max(8, frames);
        for (int k = 0; k < Harmonics; k++) { _a[k] = 0.18 * rng.NextDouble() / (k + 1); _phase[k] = rng.NextDouble() * 2 * Math.PI; }
    }

    public void Pose(int t)
    {
        _cx = _x0 + _vx * t + _wobble * Math.Sin(_wobbleFreq * t + _wobblePhase);
        _cy = _y0 + _vy * t + _wobble * Math.Cos(1.3 * _wobbleFreq * t + _wobblePhase);
        double angle = _angle0 + _spin * t;
        (_cos, _sin) = (Math.Cos(angle), Math.Sin(angle));
        double scale = 1 + _scaleAmp * Math.Sin(_scaleFreq * t);
        double stretch = _stretchAmp * Math.Sin(_deformFreq * t + 1);
        (_sx, _sy) = (_radius * scale * (1 + stretch), _radius * scale * (1 - stretch));
        double sum = 0;
        for (int k = 0; k < Harmonics; k++) { _at[k] = _a[k] * (1 + 0.8 * Math.Sin(_deformFreq * t + _phase[k])); sum += Math.Abs(_at[k]); }
        _extent = 1 + sum;
        double r = _extent * Math.Max(_sx, _sy);
        Bounds = (_cx - r, _cy - r, _cx + r, _cy + r);
    }

    public bool Cover(double x, double y, Span<float> rgb)
    {
        double dx = x - _cx, dy = y - _cy;
        double u = (dx * _cos + dy * _sin) / _sx, v = (-dx * _sin + dy * _cos) / _sy; // object frame, outline radius ~1
        double rho2 = u * u + v * v;
        if (rho2 > _extent * _extent) return false;
        double theta = Math.Atan2(v, u), r = 1;
        for (int k = 0; k < Harmonics; k++) r += _at[k] * Math.Cos((k + 2) * theta + _phase[k]);
        if (rho2 > r * r) return false;
        _texture.Sample((u + 2) * 24, (v + 2) * 24, rgb); // ~2.7 texture tiles across the object
        return true;
    }
}
