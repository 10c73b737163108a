using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ColorTrack.Tests.Imaging;

/// <summary>
/// A deliberately plain PNG writer for decoder tests: any colour type and bit depth, a chosen filter
/// per row (to exercise all five), the image data split over several IDAT chunks. Written from the
/// PNG specification, independently of the decoder under test.
/// </summary>
public static class PngTestEncoder
{
    /// <param name="packedRows">[H][stride] raw (unfiltered) scanline bytes at the given bit depth.</param>
    public static byte[] Encode(int width, int height, int colorType, int bitDepth, byte[][] packedRows,
        Func<int, int> filterOfRow, byte[]? palette = null, int idatChunks = 3)
    {
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        int bpp = Math.Max(1, channels * bitDepth / 8);
        var raw = new MemoryStream();
        byte[]? prior = null;
        for (int y = 0; y < height; y++)
        {
            var row = packedRows[y];
            int f = filterOfRow(y);
            raw.WriteByte((byte)f);
            for (int i = 0; i < row.Length; i++)
            {
                int a = i >= bpp ? row[i - bpp] : 0, b = prior?[i] ?? 0, c = i >= bpp && prior != null ? prior[i - bpp] : 0;
                int pred = f switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    _ => PaethPredictor(a, b, c),
                };
                raw.WriteByte((byte)(row[i] - pred));
            }
            prior = row;
        }
        var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true)) zs.Write(raw.ToArray());
        var data = z.ToArray();

        var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)bitDepth; ihdr[9] = (byte)colorType;
        Chunk(png, "IHDR", ihdr);
        if (palette != null) Chunk(png, "PLTE", palette);
        Chunk(png, "tEXt", Encoding.ASCII.GetBytes("Comment\0ancillary chunk the decoder must skip"));
        int per = (data.Length + idatChunks - 1) / idatChunks;
        for (int o = 0; o < data.Length; o += per) Chunk(png, "IDAT", data.AsSpan(o, Math.Min(per, data.Length - o)).ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    static int PaethPredictor(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    static void Chunk(Stream s, string type, byte[] data)
    {
        var head = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type, 0, 4, head, 4);
        s.Write(head);
        s.Write(data);
        uint crc = 0xFFFFFFFF;
        foreach (var b in head.AsSpan(4).ToArray().Concat(data))
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        var tail = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, ~crc);
        s.Write(tail);
    }
}
