namespace ColorTrack.Synthetic;

/// <summary>
/// An articulated figure with JHMDB's 15 joints: a torso, a head, two-segment arms and legs drawn
/// as thick capsules. It walks across the world (arms and legs swing in opposite phase, elbows and
/// knees bend), bobs and leans. Its joints are the keypoints the generator records.
/// </summary>
internal sealed class StickFigure : ISceneLayer
{
    // Joint indices (JhmdbJoints.JointNames order).
    const int Neck = 0, Belly = 1, Face = 2, RShoulder = 3, LShoulder = 4, RHip = 5, LHip = 6,
        RElbow = 7, LElbow = 8, RKnee = 9, LKnee = 10, RWrist = 11, LWrist = 12, RAnkle = 13, LAnkle = 14;

    /// <summary>Segments drawn as capsules: (from, to, radius in body units).</summary>
    static readonly (int A, int B, double R)[] Bones =
    {
        (Neck, Belly, 0.38), (Neck, RShoulder, 0.22), (Neck, LShoulder, 0.22), (Belly, RHip, 0.26), (Belly, LHip, 0.26),
        (RShoulder, RElbow, 0.2), (RElbow, RWrist, 0.17), (LShoulder, LElbow, 0.2), (LElbow, LWrist, 0.17),
        (RHip, RKnee, 0.24), (RKnee, RAnkle, 0.2), (LHip, LKnee, 0.24), (LKnee, LAnkle, 0.2),
    };
    const double HeadRadius = 0.5;

    readonly ProceduralTexture _body, _head;
    readonly bool _limbTextures;
    readonly double _unit, _x0, _y0, _vx, _vy, _stride, _phase, _lean;
    readonly double[] _jx = new double[15], _jy = new double[15];

    public int Id { get; }
    public (double X0, double Y0, double X1, double Y1) Bounds { get; private set; }

    /// <summary>Joint positions of the posed frame, world pixels.</summary>
    public ReadOnlySpan<double> JointX => _jx;
    public ReadOnlySpan<double> JointY => _jy;

    public StickFigure(int id, Random rng, (double W, double H) world, double frameHeight, int frames, double speed, ColourPalette? palette = null, bool limbTextures = false)
    {
        Id = id;
        _limbTextures = limbTextures;
        _body = ProceduralTexture.Create(rng, 32, ProceduralTexture.Kind.Stripes, palette: palette);
        _head = ProceduralTexture.Create(rng, 16, ProceduralTexture.Kind.Noise, palette: palette);
        _unit = frameHeight * (0.07 + 0.03 * rng.NextDouble());           // the figure is ~6.5 units tall
        _x0 = world.W * (0.2 + 0.6 * rng.NextDouble());
        _y0 = world.H * (0.35 + 0.3 * rng.NextDouble());
        double dir = rng.Next(2) == 0 ? -1 : 1;
        _vx = dir * speed * world.W * (0.15 + 0.25 * rng.NextDouble()) / Math.Max(1, frames - 1);
        _vy = speed * (rng.NextDouble() - 0.5) * 0.3 * _unit;
        _stride = 2 * Math.PI * (1.5 + 1.5 * rng.NextDouble()) / Math.Max(8, frames); // 1.5 .. 3 gait cycles per video
        _phase = rng.NextDouble() * 2 * Math.PI;
        _lean = 0.15 * (rng.NextDouble() - 0.5);
    }

    public void Pose(int t)
    {
        double s = _unit, w = _stride * t + _phase;
        double bx = _x0 + _vx * t, by = _y0 + _vy * t - 0.15 * s * Math.Abs(Math.Sin(w)); // bob twice per stride
        double lean = _lean + 0.08 * Math.Sin(w);
        (double X, double Y) Up(double len, double angle) => (len * Math.Sin(angle), -len * Math.Cos(angle)); // angle from vertical up
        (double X, double Y) Down(double len, double angle) => (len * Math.Sin(angle), len * Math.Cos(angle)); // from vertical down
        void Set(int j, double x, double y) { _jx[j] = x; _jy[j] = y; }
        void From(int j, int parent, (double X, double Y) d) => Set(j, _jx[parent] + d.X, _jy[parent] + d.Y);

        Set(Belly, bx, by);
        From(Neck, Belly, Up(2.0 * s, lean));
        From(Face, Neck, Up(0.85 * s, lean + 0.1 * Math.Sin(0.5 * w)));
        From(RShoulder, Neck, (-0.75 * s, 0.2 * s));
        From(LShoulder, Neck, (0.75 * s, 0.2 * s));
        From(RHip, Belly, (-0.45 * s, 0.45 * s));
        From(LHip, Belly, (0.45 * s, 0.45 * s));
        for (int side = 0; side < 2; side++)
        {
            double sign = side == 0 ? 1 : -1, swing = Math.Sin(w + side * Math.PI);
            int sh = side == 0 ? RShoulder : LShoulder, el = side == 0 ? RElbow : LElbow, wr = side == 0 ? RWrist : LWrist;
            int hp = side == 0 ? RHip : LHip, kn = side == 0 ? RKnee : LKnee, an = side == 0 ? RAnkle : LAnkle;
            double arm = -sign * 0.25 + 0.7 * swing;                               // arms swing against the legs
            From(el, sh, Down(1.15 * s, arm));
            From(wr, el, Down(1.0 * s, arm + 0.3 + 0.5 * Math.Max(0, swing)));
            double leg = 0.1 * sign * -1 - 0.5 * swing;
            From(kn, hp, Down(1.35 * s, leg));
            From(an, kn, Down(1.3 * s, leg - 0.7 * Math.Max(0, -swing)));       // the knee bends on the back swing
        }
        double x0 = double.MaxValue, y0 = double.MaxValue, x1 = double.MinValue, y1 = double.MinValue;
        for (int j = 0; j < 15; j++) { x0 = Math.Min(x0, _jx[j]); y0 = Math.Min(y0, _jy[j]); x1 = Math.Max(x1, _jx[j]); y1 = Math.Max(y1, _jy[j]); }
        double pad = 0.6 * s;
        Bounds = (x0 - pad, y0 - pad, x1 + pad, y1 + pad);
    }

    public bool Cover(double x, double y, Span<float> rgb)
    {
        double s = _unit;
        double hx = x - _jx[Face], hy = y - _jy[Face];
        if (hx * hx + hy * hy < HeadRadius * HeadRadius * s * s)
        {
            _head.Sample((hx / s + 1) * 8, (hy / s + 1) * 8, rgb);
            return true;
        }
        for (int i = 0; i < Bones.Length; i++)
        {
            var (a, b, r) = Bones[i];
            if (SegmentDistance2(x, y, _jx[a], _jy[a], _jx[b], _jy[b]) < r * r * s * s)
            {
                if (!_limbTextures) { _body.Sample((x - _jx[Belly]) / s * 8, (y - _jy[Belly]) / s * 8, rgb); return true; } // rides on the belly
                // Rides on its own bone, like a sleeve: (along, across) the bone from its first joint, in body units.
                double dx = _jx[b] - _jx[a], dy = _jy[b] - _jy[a], len = Math.Max(1e-9, Math.Sqrt(dx * dx + dy * dy));
                double ex = x - _jx[a], ey = y - _jy[a];
                double along = (ex * dx + ey * dy) / len / s, across = (ey * dx - ex * dy) / len / s;
                _body.Sample(along * 8 + 11 * i, across * 8 + 5 * i, rgb);
                return true;
            }
        }
        return false;
    }

    static double SegmentDistance2(double px, double py, double ax, double ay, double bx, double by)
    {
        double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
        double t = len2 > 0 ? Math.Clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0, 1) : 0;
        double ex = px - ax - t * dx, ey = py - ay - t * dy;
        return ex * ex + ey * ey;
    }
}
