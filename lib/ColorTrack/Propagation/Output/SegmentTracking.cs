using System.Runtime.InteropServices;
using ColorTrack.Contracts;
using ColorTrack.Imaging;
using ColorTrack.Video;
using static TorchSharp.torch;

namespace ColorTrack.Propagation;

/// <summary>
/// Segment tracking: the first frame's indexed mask (one id per object, 0 = background; ids need
/// not be consecutive and are kept as they are) becomes one-hot labels, a tracker carries them
/// through the video, and each frame's argmax is written as an indexed PNG (DAVIS palette) in the
/// DAVIS results layout, out/00000.png, 00001.png, ... (frame 0 is the given mask).
/// </summary>
public static class SegmentTracking
{
    /// <summary>The categories of a first-frame mask: 0 (background) first, then the object ids present, ascending.</summary>
    public static byte[] Categories(IndexedMask first, string path)
    {
        var present = new bool[256];
        foreach (var id in first.Ids) present[id] = true;
        var ids = Enumerable.Range(1, 255).Where(i => present[i]).Select(i => (byte)i).ToList();
        if (ids.Count == 0) throw new BadInputException(path, "the mask has no object (every pixel is 0, background)");
        return [0, .. ids];
    }

    /// <summary>One-hot labels [C, H, W] of a mask, channel c for id categories[c].</summary>
    public static Tensor OneHot(IndexedMask mask, byte[] categories)
    {
        using var scope = NewDisposeScope();
        var channelOf = new long[256];
        for (int c = 0; c < categories.Length; c++) channelOf[categories[c]] = c;
        var channels = tensor(mask.Ids.Select(id => channelOf[id]).ToArray()).view(mask.Height, mask.Width);
        return nn.functional.one_hot(channels, categories.Length).permute(2, 0, 1).to(float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The hard labels of soft labels [C, H, W]: the argmax over C (the first of equal maxima, as
    /// torch's), as mask ids. Read in place: libtorch's argmax over the outer dimension took 78 ms for a
    /// 2 x 480 x 854 frame, this loop 1 ms.
    /// </summary>
    public static IndexedMask Decide(Tensor soft, byte[] categories)
    {
        int C = (int)soft.shape[0], H = (int)soft.shape[1], W = (int)soft.shape[2], n = H * W;
        if (C > 256 || C > categories.Length) throw new ArgumentException($"{C} label channels for {categories.Length} categories");
        var ids = new byte[n];
        using (NewDisposeScope())
        {
            var values = MemoryMarshal.Cast<byte, float>(soft.to(ScalarType.Float32).contiguous().bytes); // [C, H*W]
            var best = values[..n].ToArray();
            var channel = new byte[n];
            for (int c = 1; c < C; c++)
            {
                var plane = values.Slice(c * n, n);
                for (int i = 0; i < n; i++)
                    if (plane[i] > best[i]) { best[i] = plane[i]; channel[i] = (byte)c; }
            }
            for (int i = 0; i < n; i++) ids[i] = categories[channel[i]];
        }
        return new IndexedMask(W, H, ids);
    }

    /// <summary>
    /// Track the objects of <paramref name="first"/> (read from <paramref name="maskPath"/>) through
    /// <paramref name="frames"/> and write the masks into <paramref name="outDir"/> (complete or absent,
    /// see <see cref="OutputFolder"/>). <paramref name="onFrame"/> gets each frame's index and mask.
    /// Returns the number of frames written.
    /// </summary>
    public static int Run(ILabelTracker tracker, IFrameSource frames, IndexedMask first, string maskPath, string outDir,
        Action<int, IndexedMask>? onFrame = null)
    {
        CheckSize(first, maskPath, frames);
        var categories = Categories(first, maskPath);
        using var output = new OutputFolder(outDir);
        MaskPng.Write(output["00000.png"], first);
        onFrame?.Invoke(0, first);
        int index = 0;
        using (var labels = OneHot(first, categories))
            foreach (var soft in tracker.Track(FrameTensors.From(frames), labels))
            {
                IndexedMask mask;
                using (soft) mask = Decide(soft, categories);
                index++;
                MaskPng.Write(output[$"{index:D5}.png"], mask);
                onFrame?.Invoke(index, mask);
            }
        output.Commit();
        return index + 1;
    }

    /// <summary>A mask of another size than the frames is an error: we never resize it silently.</summary>
    public static void CheckSize(IndexedMask first, string maskPath, IFrameSource frames)
    {
        if (first.Width != frames.Width || first.Height != frames.Height)
            throw new BadInputException(maskPath, $"mask is {first.Width}x{first.Height} but the frames of {frames.Name} are {frames.Width}x{frames.Height} (resize one of them; masks are never resized silently)");
    }
}
