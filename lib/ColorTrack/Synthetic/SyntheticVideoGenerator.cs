using ColorTrack.Datasets;
using ColorTrack.Imaging;
using ColorTrack.Runtime;
using ColorTrack.Video;
using OpenCvSharp;

namespace ColorTrack.Synthetic;

/// <summary>
/// Generates colour videos with known answers — the embedded data set that lets training, tracking
/// and evaluation run on a fresh machine: textured blobs that move, rotate, scale, deform, occlude
/// each other and leave the frame, plus a walking stick figure, over a textured background seen by
/// a panning camera, with lighting changes, blur and noise. Exact masks (one id per object) and the
/// figure's joints come with every frame. Everything is a pure function of the options' seed.
/// </summary>
public static class SyntheticVideoGenerator
{
    /// <summary>Render one video in memory.</summary>
    public static SyntheticVideo Generate(SyntheticVideoOptions o, string name = "synth")
    {
        o.Validate();
        var rng = new Random(o.Seed);
        int w = o.Width, h = o.Height, minSide = Math.Min(w, h);

        // Camera: pans linearly over the video across part of a larger world.
        double pan = o.CameraPan * minSide, panAngle = rng.NextDouble() * 2 * Math.PI;
        (double X, double Y) Camera(int t) { double f = o.Frames > 1 ? (double)t / (o.Frames - 1) : 0; return (pan * (1 + Math.Cos(panAngle) * f), pan * (1 + Math.Sin(panAngle) * f)); }
        var world = (W: w + 2 * pan, H: h + 2 * pan);
        // With a palette, the background is painted in the objects' colours at full contrast: no colour says "object".
        var palette = o.Palette > 0 ? new ColourPalette(o.Palette, o.Seed) : null;
        double full = palette is null ? 0 : 1;
        var background = ProceduralTexture.Create(rng, 128, ProceduralTexture.Kind.Noise, contrast: Math.Max(0.7, full), palette);
        var backgroundDetail = ProceduralTexture.Create(rng, 64, rng.Next(2) == 0 ? ProceduralTexture.Kind.Checks : ProceduralTexture.Kind.Stripes, contrast: Math.Max(0.5, full), palette);
        double bgScale = 128.0 / (0.8 * Math.Max(w, h)), detailScale = 64.0 / (0.15 * minSide);

        // Layers in a random depth order (last drawn = in front); ids are 1..N in creation order.
        var layers = new List<ISceneLayer>();
        for (int i = 0; i < o.Objects; i++) layers.Add(new BlobObject(i + 1, rng, world, minSide, o.Frames, o.Speed, palette));
        StickFigure? figure = o.StickFigure ? new StickFigure(o.Objects + 1, rng, world, h, o.Frames, o.Speed, palette, o.LimbTextures) : null;
        if (figure != null) layers.Insert(rng.Next(layers.Count + 1), figure);

        // Lighting: a global gain and a tilted gradient, both drifting; blur strength fixed per video.
        double gainPhase = rng.NextDouble() * 2 * Math.PI, gradAngle = rng.NextDouble() * 2 * Math.PI, gradPhase = rng.NextDouble() * 2 * Math.PI;
        double sigma = o.BlurSigma * (0.3 + 0.7 * rng.NextDouble());
        ulong noiseKey = (ulong)rng.NextInt64();

        var frames = new VideoFrame[o.Frames];
        var masks = new IndexedMask[o.Frames];
        var joints = new Keypoint[o.Frames][];
        var image = new float[w * h * 3];
        for (int t = 0; t < o.Frames; t++)
        {
            var (ox, oy) = Camera(t);
            foreach (var layer in layers) layer.Pose(t);
            double gain = 1 + o.Lighting * Math.Sin(2 * Math.PI * t / Math.Max(16, o.Frames) + gainPhase);
            double grad = o.Lighting * Math.Sin(2 * Math.PI * t / Math.Max(24, 1.5 * o.Frames) + gradPhase);
            var ids = new byte[w * h];
            Parallel.For(0, h, y =>
            {
                Span<float> c = stackalloc float[3];
                Span<float> d = stackalloc float[3];
                for (int x = 0; x < w; x++)
                {
                    double wx = x + ox, wy = y + oy;
                    background.Sample(wx * bgScale, wy * bgScale, c);
                    backgroundDetail.Sample(wx * detailScale, wy * detailScale, d);
                    for (int ch = 0; ch < 3; ch++) c[ch] = 0.75f * c[ch] + 0.25f * d[ch];
                    byte id = 0;
                    foreach (var layer in layers)
                    {
                        var b = layer.Bounds;
                        if (wx < b.X0 || wx > b.X1 || wy < b.Y0 || wy > b.Y1) continue;
                        if (layer.Cover(wx, wy, d)) { d.CopyTo(c); id = (byte)layer.Id; }
                    }
                    ids[y * w + x] = id;
                    double light = gain * (1 + grad * ((x / (double)w - 0.5) * Math.Cos(gradAngle) + (y / (double)h - 0.5) * Math.Sin(gradAngle)));
                    for (int ch = 0; ch < 3; ch++) image[(y * w + x) * 3 + ch] = (float)(c[ch] * light);
                }
            });
            frames[t] = new VideoFrame(t, t / o.FramesPerSecond, w, h, Finish(image, w, h, sigma, o.Noise, noiseKey, t));
            masks[t] = new IndexedMask(w, h, ids);
            if (figure != null)
            {
                joints[t] = new Keypoint[JhmdbJoints.JointCount];
                for (int j = 0; j < JhmdbJoints.JointCount; j++)
                {
                    double x = figure.JointX[j] - ox, y = figure.JointY[j] - oy;
                    int px = (int)Math.Round(x), py = (int)Math.Round(y);
                    joints[t][j] = new Keypoint((float)x, (float)y, px >= 0 && py >= 0 && px < w && py < h && ids[py * w + px] == figure.Id);
                }
            }
        }
        var keypoints = figure != null ? new KeypointsFile(JhmdbJoints.JointNames, joints, ObjectId: figure.Id) : null;
        return new SyntheticVideo(name, o.FramesPerSecond, frames, masks, keypoints);
    }

    /// <summary>Blur (camera optics), add noise (sensor), clip and quantize to RGB24.</summary>
    static byte[] Finish(float[] image, int w, int h, double sigma, double noise, ulong key, int t)
    {
        var blurred = image;
        if (sigma > 0.05)
        {
            using var src = Mat.FromPixelData(h, w, MatType.CV_32FC3, image);
            using var dst = new Mat();
            Cv2.GaussianBlur(src, dst, new Size(0, 0), sigma);
            blurred = new float[image.Length];
            System.Runtime.InteropServices.Marshal.Copy(dst.Data, blurred, 0, blurred.Length);
        }
        var rgb = new byte[image.Length];
        for (int i = 0; i < rgb.Length; i++)
        {
            double v = blurred[i] * 255 + noise * GaussianNoise(key, (ulong)t, (ulong)i);
            rgb[i] = (byte)Math.Clamp(Math.Round(v), 0, 255);
        }
        return rgb;
    }

    /// <summary>Deterministic unit-variance noise for (key, frame, index): a hash, not a generator, so order never matters.</summary>
    static double GaussianNoise(ulong key, ulong t, ulong i)
    {
        ulong z = key ^ (t * 0x9E3779B97F4A7C15UL) ^ (i * 0xC2B2AE3D27D4EB4FUL);
        double sum = 0;
        for (int k = 0; k < 4; k++) // sum of 4 uniforms ~ Gaussian (variance 1/3 before scaling)
        {
            z += 0x9E3779B97F4A7C15UL;
            ulong x = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            x ^= x >> 31;
            sum += (x >> 11) * (1.0 / (1UL << 53));
        }
        return (sum - 2) * Math.Sqrt(3);
    }

    /// <summary>
    /// Write <paramref name="videos"/> videos in the DAVIS layout under <paramref name="root"/>:
    /// JPEGImages/480p/&lt;seq&gt;/00000.jpg, Annotations/480p/&lt;seq&gt;/00000.png (indexed, one id per
    /// object), Keypoints/&lt;seq&gt;.json (the stick figure), ImageSets/&lt;set&gt;.txt (sequence names) and
    /// provenance.json. The folder is built beside the target and renamed into place at the end, so a
    /// failed run leaves no half-written data set. Video i is seeded from (options.Seed, i).
    /// </summary>
    public static IReadOnlyList<string> WriteDataset(string root, int videos, SyntheticVideoOptions options, string set = "train", Action<int, int>? progress = null)
    {
        options.Validate();
        var full = Path.GetFullPath(root);
        if (File.Exists(full) || (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any()))
            throw new BadInputException(root, "already exists and is not empty; choose a new output folder");
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}{AtomicFile.TempSuffix}");
        var names = Enumerable.Range(0, videos).Select(i => $"synth-{i:D3}").ToList();
        try
        {
            for (int i = 0; i < videos; i++)
            {
                var video = Generate(options with { Seed = SequenceSeed(options.Seed, i) }, names[i]);
                WriteSequence(temp, video);
                progress?.Invoke(i + 1, videos);
            }
            // The image-set list where `track --davis` and `eval-davis` look for it, for either year.
            foreach (var year in new[] { "2016", "2017" })
            {
                Directory.CreateDirectory(Path.Combine(temp, "ImageSets", year));
                File.WriteAllLines(Path.Combine(temp, "ImageSets", year, set + ".txt"), names);
            }
            RunProvenance.Capture("synth", new { Videos = videos, Set = set, Options = options }, options.Seed).Save(Path.Combine(temp, "provenance.json"));
            if (Directory.Exists(full)) Directory.Delete(full); // empty, checked above
            Directory.Move(temp, full);
        }
        catch
        {
            try { Directory.Delete(temp, recursive: true); } catch { }
            throw;
        }
        return names;
    }

    /// <summary>Seed of video <paramref name="index"/> of a data set seeded with <paramref name="seed"/>.</summary>
    public static int SequenceSeed(int seed, int index) => unchecked(seed * 1_000_003 + index * 7919 + 17);

    /// <summary>Write one sequence's frames, masks and keypoints under a DAVIS-layout root.</summary>
    public static void WriteSequence(string root, SyntheticVideo video)
    {
        var images = Path.Combine(root, "JPEGImages", "480p", video.Name);
        var annotations = Path.Combine(root, "Annotations", "480p", video.Name);
        Directory.CreateDirectory(images);
        Directory.CreateDirectory(annotations);
        // Quality 95 without chroma subsampling (IMWRITE_JPEG_SAMPLING_FACTOR = 7, 4:4:4 = 0x111111):
        // colour is the training signal, so it should not be blurred at half resolution.
        var jpeg = new[] { new ImageEncodingParam(ImwriteFlags.JpegQuality, 95), new ImageEncodingParam((ImwriteFlags)7, 0x111111) };
        foreach (var f in video.Frames)
        {
            using var rgb = Mat.FromPixelData(f.Height, f.Width, MatType.CV_8UC3, f.Rgb);
            using var bgr = new Mat();
            Cv2.CvtColor(rgb, bgr, ColorConversionCodes.RGB2BGR);
            Cv2.ImWrite(Path.Combine(images, $"{f.Index:D5}.jpg"), bgr, jpeg);
        }
        for (int t = 0; t < video.Masks.Count; t++) MaskPng.Write(Path.Combine(annotations, $"{t:D5}.png"), video.Masks[t]);
        if (video.Keypoints != null)
        {
            Directory.CreateDirectory(Path.Combine(root, "Keypoints"));
            video.Keypoints.Save(Path.Combine(root, "Keypoints", video.Name + ".json"));
        }
    }
}
