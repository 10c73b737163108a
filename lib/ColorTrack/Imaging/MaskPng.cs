using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Text;
using ColorTrack.Runtime;

namespace ColorTrack.Imaging;

/// <summary>
/// Reads and writes segmentation masks as PNG.
/// <para>Read, by colour type:</para>
/// <list type="bullet">
/// <item>palette (DAVIS 2017, any bit depth): the raw palette indices are the ids;</item>
/// <item>gray, gray+alpha (DAVIS 2016 stores 0/255; one of its files is gray+alpha): the gray
///   channel. When any value is >= 128 the image is a binary mask and is thresholded at 128
///   (>= 128 -> 1), which also cleans 0/254 masks with compression noise; otherwise (all values
///   below 128) the values are ids as stored, so a label map saved as 8-bit gray reads back as is;</item>
/// <item>RGB, RGBA: each colour must be a DAVIS palette colour and becomes its index; an image whose
///   pixels are all gray (R = G = B) follows the gray rule. Alpha is ignored.</item>
/// </list>
/// Write: an 8-bit palette PNG whose PLTE is the DAVIS palette, written atomically.
/// </summary>
public static class MaskPng
{
    public static IndexedMask Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new BadInputException(path, "mask file not found"); }
        catch (DirectoryNotFoundException) { throw new BadInputException(path, "mask file not found"); }
        return Decode(bytes, path);
    }

    /// <summary>Decode PNG bytes; <paramref name="path"/> only names the source in errors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no slow tier-0 code in short runs
    public static IndexedMask Decode(byte[] png, string path = "<png>")
    {
        var p = PngSampleDecoder.Decode(png, path);
        if (p.IsPalette) return new IndexedMask(p.Width, p.Height, p.Samples);
        int n = p.Width * p.Height;
        if (p.Channels == 1) return new IndexedMask(p.Width, p.Height, GrayToIds(p.Samples));
        if (p.Channels == 2) return new IndexedMask(p.Width, p.Height, GrayToIds(Channel(p.Samples, 2, n)));

        // RGB(A): all gray -> the gray rule; else palette colours -> indices.
        var s = p.Samples;
        int c = p.Channels;
        bool allGray = true;
        for (int i = 0; i < n && allGray; i++) allGray = s[c * i] == s[c * i + 1] && s[c * i] == s[c * i + 2];
        if (allGray) return new IndexedMask(p.Width, p.Height, GrayToIds(Channel(s, c, n)));
        var ids = new byte[n];
        int lastRgb = 0, lastId = 0; // masks are large flat regions: most pixels repeat their left neighbour
        for (int i = 0; i < n; i++)
        {
            int rgb = (s[c * i] << 16) | (s[c * i + 1] << 8) | s[c * i + 2];
            if (rgb != lastRgb)
            {
                lastId = DavisPalette.IndexOf(s[c * i], s[c * i + 1], s[c * i + 2]);
                if (lastId < 0) throw new BadInputException(path, $"colour ({s[c * i]},{s[c * i + 1]},{s[c * i + 2]}) at pixel {i % p.Width},{i / p.Width} is not a DAVIS palette colour");
                lastRgb = rgb;
            }
            ids[i] = (byte)lastId;
        }
        return new IndexedMask(p.Width, p.Height, ids);
    }

    static byte[] Channel(byte[] samples, int channels, int n)
    {
        var g = new byte[n];
        for (int i = 0; i < n; i++) g[i] = samples[channels * i];
        return g;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no slow tier-0 code in short runs
    static byte[] GrayToIds(byte[] gray)
    {
        if (gray.AsSpan().IndexOfAnyInRange((byte)128, (byte)255) < 0) return gray; // a label map stored as gray: ids as stored
        // Binary: v >= 128 -> 1, i.e. the top bit, a vectorised shift.
        int i = 0;
        var span = gray.AsSpan();
        for (; i + Vector<byte>.Count <= span.Length; i += Vector<byte>.Count)
            Vector.ShiftRightLogical(new Vector<byte>(span[i..]), 7).CopyTo(span[i..]);
        for (; i < span.Length; i++) span[i] = (byte)(span[i] >> 7);
        return gray;
    }

    /// <summary>Write an 8-bit palette PNG with the DAVIS palette, atomically (temp file + rename).</summary>
    public static void Write(string path, IndexedMask mask) => AtomicFile.WriteAllBytes(path, Encode(mask));

    /// <summary>The PNG bytes <see cref="Write"/> would write.</summary>
    public static byte[] Encode(IndexedMask mask)
    {
        if (mask.Width <= 0 || mask.Height <= 0 || mask.Ids.Length != mask.Width * mask.Height)
            throw new ArgumentException($"mask is {mask.Width}x{mask.Height} but has {mask.Ids.Length} ids", nameof(mask));
        var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);

        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, mask.Width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), mask.Height);
        ihdr[8] = 8; ihdr[9] = 3; // 8-bit palette; compression, filter, interlace = 0
        WriteChunk(png, "IHDR", ihdr);
        WriteChunk(png, "PLTE", DavisPalette.Rgb);

        var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[mask.Width + 1]; // filter byte 0 (None): label maps compress well unfiltered
            for (int y = 0; y < mask.Height; y++)
            {
                mask.Ids.AsSpan(y * mask.Width, mask.Width).CopyTo(row.AsSpan(1));
                z.Write(row);
            }
        }
        WriteChunk(png, "IDAT", idat.GetBuffer().AsSpan(0, (int)idat.Length));
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    static void WriteChunk(Stream s, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type, head[4..]);
        s.Write(head);
        s.Write(data);
        uint crc = Crc32.Update(Crc32.Update(0xFFFFFFFFu, head[4..]), data) ^ 0xFFFFFFFFu;
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        s.Write(tail);
    }

    /// <summary>The PNG / zlib CRC-32 (polynomial 0xEDB88320), table driven.</summary>
    static class Crc32
    {
        static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
        {
            uint c = (uint)n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            return c;
        }).ToArray();

        public static uint Update(uint crc, ReadOnlySpan<byte> data)
        {
            foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            return crc;
        }
    }
}
