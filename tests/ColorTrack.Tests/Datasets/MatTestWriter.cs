using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ColorTrack.Tests.Datasets;

/// <summary>
/// Writes small MATLAB v5 files for reader tests, from the format description (header, tagged and
/// small data elements, 8-byte padding, miCOMPRESSED), in either byte order.
/// </summary>
public sealed class MatTestWriter(bool bigEndian = false)
{
    readonly MemoryStream body = new();

    public const int MiInt8 = 1, MiUInt8 = 2, MiInt16 = 3, MiInt32 = 5, MiUInt32 = 6, MiSingle = 7, MiDouble = 9, MiMatrix = 14, MiCompressed = 15;
    public const int ClassDouble = 6, ClassSingle = 7, ClassInt32 = 12, ClassChar = 4, ClassUInt8 = 9;

    byte[] I32(int v) { var b = new byte[4]; if (bigEndian) BinaryPrimitives.WriteInt32BigEndian(b, v); else BinaryPrimitives.WriteInt32LittleEndian(b, v); return b; }

    /// <summary>A full 8-byte-tag element, padded to 8 bytes; or the small form when it fits in 4 bytes and <paramref name="small"/>.</summary>
    byte[] Element(int type, byte[] data, bool small = false, bool pad = true)
    {
        var s = new MemoryStream();
        if (small && data.Length <= 4)
        {
            int word = (data.Length << 16) | type;
            s.Write(I32(word));
            s.Write(data); s.Write(new byte[4 - data.Length]);
            return s.ToArray();
        }
        s.Write(I32(type)); s.Write(I32(data.Length)); s.Write(data);
        if (pad) s.Write(new byte[(8 - data.Length % 8) % 8]);
        return s.ToArray();
    }

    /// <summary>A matrix of class <paramref name="matClass"/> whose real part is stored as <paramref name="storeType"/>.</summary>
    public MatTestWriter Matrix(string name, int[] dims, double[] values, int matClass = ClassDouble, int storeType = MiDouble, bool compress = false, bool smallName = true)
    {
        var m = new MemoryStream();
        var flags = new byte[8]; I32(matClass).CopyTo(flags, 0);
        if (bigEndian) { flags = new byte[8]; BinaryPrimitives.WriteInt32BigEndian(flags, matClass); }
        m.Write(Element(MiUInt32, flags));
        m.Write(Element(MiInt32, dims.SelectMany(I32).ToArray()));
        m.Write(Element(MiInt8, Encoding.ASCII.GetBytes(name), small: smallName));
        m.Write(Element(storeType, values.SelectMany(v => Encode(storeType, v)).ToArray()));
        var matrix = Element(MiMatrix, m.ToArray());
        if (compress)
        {
            var z = new MemoryStream();
            using (var zs = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true)) zs.Write(matrix);
            body.Write(Element(MiCompressed, z.ToArray(), pad: false));
        }
        else body.Write(matrix);
        return this;
    }

    byte[] Encode(int type, double v)
    {
        var b = new byte[type switch { MiInt8 or MiUInt8 => 1, MiInt16 => 2, MiInt32 or MiUInt32 or MiSingle => 4, _ => 8 }];
        switch (type)
        {
            case MiInt8: b[0] = (byte)(sbyte)v; break;
            case MiUInt8: b[0] = (byte)v; break;
            case MiInt16: if (bigEndian) BinaryPrimitives.WriteInt16BigEndian(b, (short)v); else BinaryPrimitives.WriteInt16LittleEndian(b, (short)v); break;
            case MiInt32: b = I32((int)v); break;
            case MiSingle: if (bigEndian) BinaryPrimitives.WriteSingleBigEndian(b, (float)v); else BinaryPrimitives.WriteSingleLittleEndian(b, (float)v); break;
            default: if (bigEndian) BinaryPrimitives.WriteDoubleBigEndian(b, v); else BinaryPrimitives.WriteDoubleLittleEndian(b, v); break;
        }
        return b;
    }

    public byte[] ToArray()
    {
        var header = new byte[128];
        Encoding.ASCII.GetBytes("MATLAB 5.0 MAT-file, written by the ColorTrack tests".PadRight(116)).CopyTo(header, 0);
        header[124] = bigEndian ? (byte)0x01 : (byte)0x00; header[125] = bigEndian ? (byte)0x00 : (byte)0x01;
        header[126] = bigEndian ? (byte)'M' : (byte)'I'; header[127] = bigEndian ? (byte)'I' : (byte)'M';
        return [.. header, .. body.ToArray()];
    }
}
