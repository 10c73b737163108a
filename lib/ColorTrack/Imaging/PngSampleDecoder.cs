using System.Runtime.CompilerServices;
using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ColorTrack.Imaging;

/// <summary>
/// Decoded PNG samples, 8 bits per channel, row-major interleaved: Channels = 1 (gray or palette
/// index), 2 (gray, alpha), 3 (RGB) or 4 (RGBA). Palette images keep their raw indices.
/// </summary>
internal sealed record PngPixels(int Width, int Height, int Channels, bool IsPalette, byte[] Samples);

/// <summary>
/// A small, fast PNG decoder for the masks evaluation reads by the hundred: chunk walk, one zlib
/// inflate of the IDAT stream (System.IO.Compression), the five row filters undone in place, then
/// samples unpacked to one byte each. Covers every colour type and bit depth of non-interlaced PNGs
/// (16-bit samples keep their high byte; 1/2/4-bit gray is scaled to 0..255, palette indices are
/// kept raw). Interlaced (Adam7) files are rare for masks and go through ImageSharp instead.
/// </summary>
internal static class PngSampleDecoder
{
    /// <summary>Largest side and area of a PNG this decodes (8K video is 7680x4320, 33 megapixels).</summary>
    public const int MaxSide = 16384;
    public const long MaxPixels = 64_000_000;

    static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    /// <param name="png">The file's bytes.</param>
    /// <param name="path">Names the file in errors.</param>
    /// <param name="reuse">Where to put 8-bit samples when it has exactly their size (saves a large
    /// allocation per mask in evaluation loops); otherwise a new array is made.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no slow tier-0 code in short runs
    public static PngPixels Decode(byte[] png, string path, byte[]? reuse = null)
    {
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature)) throw new BadInputException(path, "not a PNG file");

        int width = 0, height = 0, bitDepth = 0, colorType = -1, interlace = 0;
        byte[]? palette = null;
        var idat = new List<(int Offset, int Length)>();
        int pos = 8;
        while (true)
        {
            if (pos + 12 > png.Length) throw new BadInputException(path, "truncated PNG (no IEND chunk)");
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            uint type = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 4));
            int data = pos + 8;
            if (length < 0 || data + length + 4 > png.Length) throw new BadInputException(path, "truncated PNG chunk");
            if (type == 0x49484452) // IHDR
            {
                if (length < 13) throw new BadInputException(path, "bad PNG header");
                width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(data));
                height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(data + 4));
                bitDepth = png[data + 8];
                colorType = png[data + 9];
                interlace = png[data + 12];
            }
            else if (type == 0x504C5445) palette = png.AsSpan(data, length).ToArray(); // PLTE
            else if (type == 0x49444154) idat.Add((data, length)); // IDAT
            else if (type == 0x49454E44) break; // IEND
            pos = data + length + 4; // skip the CRC: zlib's own checks catch corrupt image data
        }

        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        bool depthOk = colorType switch
        {
            0 => bitDepth is 1 or 2 or 4 or 8 or 16,
            3 => bitDepth is 1 or 2 or 4 or 8,
            _ => bitDepth is 8 or 16,
        };
        if (channels == 0 || !depthOk || width <= 0 || height <= 0 || (long)width * height > int.MaxValue / 4)
            throw new BadInputException(path, $"unsupported PNG (colour type {colorType}, bit depth {bitDepth}, {width}x{height})");
        if (idat.Count == 0) throw new BadInputException(path, "PNG has no image data");
        // A mask is a video frame's size: a header claiming more is refused before anything is allocated
        // (and before ImageSharp, whose 2.1 decoder has known issues with crafted images, ever sees it).
        if (width > MaxSide || height > MaxSide || (long)width * height > MaxPixels)
            throw new BadInputException(path, $"PNG is {width}x{height}: larger than any mask this reads (at most {MaxSide} px a side, {MaxPixels / 1_000_000} megapixels)");
        if (interlace != 0) return DecodeWithImageSharp(png, path, width, height, colorType, palette);

        int bitsPerPixel = channels * bitDepth;
        int stride = (width * bitsPerPixel + 7) / 8;         // bytes per row, without the filter byte
        int bpp = Math.Max(1, bitsPerPixel / 8);              // filter distance: bytes per whole pixel
        long expected = (long)height * (stride + 1);                  // [H, 1 + stride] filter byte + row
        if (expected > Array.MaxLength) throw new BadInputException(path, $"PNG too large ({width}x{height})");
        var raw = ArrayPool<byte>.Shared.Rent((int)expected);
        byte[]? unpackBuffer = null;
        try
        {
            Inflate(png, idat, raw, (int)expected, path);
            // 8-bit samples are unfiltered straight into the result; other depths via a scratch buffer.
            var rows = bitDepth != 8 ? (unpackBuffer = ArrayPool<byte>.Shared.Rent(height * stride))
                : reuse?.Length == height * stride ? reuse : new byte[height * stride];
            Unfilter(raw, rows, height, stride, bpp, path);
            var samples = bitDepth == 8 ? rows : Unpack(rows, width, height, channels, bitDepth, stride, colorType == 0);
            return new PngPixels(width, height, channels, colorType == 3, samples);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
            if (unpackBuffer != null) ArrayPool<byte>.Shared.Return(unpackBuffer);
        }
    }

    static void Inflate(byte[] png, List<(int Offset, int Length)> idat, byte[] raw, int expected, string path)
    {
        Stream compressed;
        if (idat.Count == 1) compressed = new MemoryStream(png, idat[0].Offset, idat[0].Length, writable: false);
        else
        {
            var joined = new MemoryStream(idat.Sum(c => c.Length));
            foreach (var (o, l) in idat) joined.Write(png, o, l);
            joined.Position = 0;
            compressed = joined;
        }
        try
        {
            using var z = new ZLibStream(compressed, CompressionMode.Decompress);
            int got = z.ReadAtLeast(raw.AsSpan(0, expected), expected, throwOnEndOfStream: false);
            if (got < expected) throw new BadInputException(path, $"truncated PNG image data ({got} of {expected} bytes)");
        }
        catch (InvalidDataException e) { throw new BadInputException(path, "corrupt PNG image data", e); }
    }

    /// <summary>
    /// Undo the per-row filters (None, Sub, Up, Average, Paeth): raw [H, 1 + stride] -> rows [H, stride].
    /// Mask rows are mostly zeros after filtering, so Sub (the usual filter of label PNGs, a running
    /// sum) jumps from one non-zero byte to the next with vectorised search and fill.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no slow tier-0 code in short runs
    static unsafe void Unfilter(byte[] raw, byte[] rows, int height, int stride, int bpp, string path)
    {
        fixed (byte* r0 = raw, d0 = rows)
        {
            for (int y = 0; y < height; y++)
            {
                byte* src = r0 + (long)y * (stride + 1) + 1;
                byte* row = d0 + (long)y * stride;
                byte* up = y == 0 ? null : row - stride;
                byte filter = src[-1];
                if (up == null && filter is 2) filter = 0;      // Up with no prior row is None
                if (up == null && filter is 4) filter = 1;      // Paeth with b = c = 0 is Sub
                switch (filter)
                {
                    case 0:
                        new ReadOnlySpan<byte>(src, stride).CopyTo(new Span<byte>(row, stride));
                        break;
                    case 1 when bpp == 1:
                        SubOneByte(new ReadOnlySpan<byte>(src, stride), new Span<byte>(row, stride));
                        break;
                    case 1:
                        for (int i = 0; i < bpp; i++) row[i] = src[i];
                        for (int i = bpp; i < stride; i++) row[i] = (byte)(src[i] + row[i - bpp]);
                        break;
                    case 2:
                    {
                        int i = 0;
                        for (; i + Vector<byte>.Count <= stride; i += Vector<byte>.Count)
                            (Vector.Load(src + i) + Vector.Load(up + i)).Store(row + i);
                        for (; i < stride; i++) row[i] = (byte)(src[i] + up[i]);
                        break;
                    }
                    case 3:
                        if (up == null)
                        {
                            for (int i = 0; i < bpp; i++) row[i] = src[i];
                            for (int i = bpp; i < stride; i++) row[i] = (byte)(src[i] + (row[i - bpp] >> 1));
                        }
                        else
                        {
                            for (int i = 0; i < bpp; i++) row[i] = (byte)(src[i] + (up[i] >> 1));
                            for (int i = bpp; i < stride; i++) row[i] = (byte)(src[i] + ((row[i - bpp] + up[i]) >> 1));
                        }
                        break;
                    case 4:
                        for (int i = 0; i < bpp; i++) row[i] = (byte)(src[i] + up![i]); // a = c = 0: Paeth picks b
                        for (int i = bpp; i < stride; i++) row[i] = (byte)(src[i] + Paeth(row[i - bpp], up![i], up[i - bpp]));
                        break;
                    default: throw new BadInputException(path, $"bad PNG filter type {src[-1]} in row {y}");
                }
            }
        }
    }

    /// <summary>Sub filter, one byte per pixel: row[i] = src[i] + row[i - 1], skipping runs of zero deltas.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no slow tier-0 code in short runs
    static void SubOneByte(ReadOnlySpan<byte> src, Span<byte> row)
    {
        byte value = 0;
        int i = 0;
        while (i < src.Length)
        {
            int next = src[i..].IndexOfAnyExcept((byte)0);
            int end = next < 0 ? src.Length : i + next;
            row[i..end].Fill(value);
            if (end == src.Length) break;
            value += src[end];
            row[end] = value;
            i = end + 1;
        }
    }

    static byte Paeth(byte a, byte b, byte c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>Unfiltered rows of 16-bit or 1/2/4-bit samples -> one byte per sample, [H, W, channels].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no slow tier-0 code in short runs
    static byte[] Unpack(byte[] rows, int width, int height, int channels, int bitDepth, int stride, bool scaleGray)
    {
        int rowSamples = width * channels;
        var samples = new byte[(long)rowSamples * height];
        for (int y = 0; y < height; y++)
        {
            var src = rows.AsSpan(y * stride, stride);
            var dst = samples.AsSpan(y * rowSamples, rowSamples);
            if (bitDepth == 16) for (int i = 0; i < rowSamples; i++) dst[i] = src[2 * i]; // high byte
            else
            {
                int perByte = 8 / bitDepth, mask = (1 << bitDepth) - 1, scale = scaleGray ? 255 / mask : 1;
                for (int x = 0; x < width; x++)
                {
                    int shift = 8 - bitDepth * (x % perByte + 1);
                    dst[x] = (byte)(((src[x / perByte] >> shift) & mask) * scale);
                }
            }
        }
        return samples;
    }

    /// <summary>Interlaced files: let ImageSharp decode, then map back to this record's layout.</summary>
    static PngPixels DecodeWithImageSharp(byte[] png, string path, int width, int height, int colorType, byte[]? palette)
    {
        Image<Rgba32> image;
        try { image = Image.Load<Rgba32>(png); }
        catch (Exception e) when (e is ImageFormatException or InvalidImageContentException) { throw new BadInputException(path, $"cannot decode PNG: {e.Message}", e); }
        using (image)
        {
            var px = new Rgba32[width * height];
            image.CopyPixelDataTo(px);
            int channels = colorType switch { 0 or 3 => 1, 4 => 2, 2 => 3, _ => 4 };
            var s = new byte[px.Length * channels];
            var paletteIndex = new Dictionary<int, int>();
            if (palette != null)
                for (int i = palette.Length / 3 - 1; i >= 0; i--) paletteIndex[(palette[3 * i] << 16) | (palette[3 * i + 1] << 8) | palette[3 * i + 2]] = i;
            for (int i = 0; i < px.Length; i++)
            {
                var p = px[i];
                switch (colorType)
                {
                    case 0: s[i] = p.R; break;
                    case 4: s[2 * i] = p.R; s[2 * i + 1] = p.A; break;
                    case 2: s[3 * i] = p.R; s[3 * i + 1] = p.G; s[3 * i + 2] = p.B; break;
                    case 6: s[4 * i] = p.R; s[4 * i + 1] = p.G; s[4 * i + 2] = p.B; s[4 * i + 3] = p.A; break;
                    default:
                        s[i] = paletteIndex.TryGetValue((p.R << 16) | (p.G << 8) | p.B, out var idx) ? (byte)idx
                            : throw new BadInputException(path, $"interlaced palette PNG: colour ({p.R},{p.G},{p.B}) at pixel {i % width},{i / width} is not in its PLTE");
                        break;
                }
            }
            return new PngPixels(width, height, channels, colorType == 3, s);
        }
    }
}
