using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ColorTrack.Datasets;

/// <summary>
/// Reads the numeric matrices of a MATLAB v5 (.mat, level 5) file: the 128-byte header, then data
/// elements (8-byte tag: type, size; or the 4-byte "small element" form), each padded to 8 bytes;
/// miCOMPRESSED elements are a zlib stream holding one element. An miMATRIX holds sub-elements:
/// array flags (class in the low byte), dimensions, name, real part (stored in any numeric type,
/// converted here to double), imaginary part if complex (ignored). Structs, cells, chars and sparse
/// arrays are skipped. Both byte orders are accepted.
/// </summary>
public static class MatFile
{
    const int MiInt8 = 1, MiUInt8 = 2, MiInt16 = 3, MiUInt16 = 4, MiInt32 = 5, MiUInt32 = 6, MiSingle = 7,
        MiDouble = 9, MiInt64 = 12, MiUInt64 = 13, MiMatrix = 14, MiCompressed = 15;

    static readonly Dictionary<int, string> NumericClasses = new()
    {
        [6] = "double", [7] = "single", [8] = "int8", [9] = "uint8", [10] = "int16", [11] = "uint16",
        [12] = "int32", [13] = "uint32", [14] = "int64", [15] = "uint64",
    };

    /// <summary>Every numeric matrix in the file, by variable name.</summary>
    public static IReadOnlyDictionary<string, MatArray> Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { throw new BadInputException(path, "MAT file not found"); }
        return Read(bytes, path);
    }

    public static IReadOnlyDictionary<string, MatArray> Read(byte[] bytes, string path = "<mat>")
    {
        if (bytes.Length < 128 || !Encoding.ASCII.GetString(bytes, 0, 10).StartsWith("MATLAB", StringComparison.Ordinal))
            throw new BadInputException(path, "not a MATLAB v5 MAT file (no 'MATLAB' header)");
        bool bigEndian = bytes[126] == (byte)'M' && bytes[127] == (byte)'I';
        if (!bigEndian && !(bytes[126] == (byte)'I' && bytes[127] == (byte)'M'))
            throw new BadInputException(path, "not a MATLAB v5 MAT file (bad endian indicator; v7.3 files are HDF5 and not supported)");
        var result = new Dictionary<string, MatArray>();
        try
        {
            var reader = new Reader(bytes, 128, bytes.Length, bigEndian, path);
            while (reader.Position + 8 <= bytes.Length)
                if (reader.ReadElement() is { } array) result[array.Name] = array;
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or InvalidDataException or OverflowException)
        {
            throw new BadInputException(path, $"corrupt MAT file ({e.GetType().Name}: {e.Message})", e);
        }
        return result;
    }

    /// <summary>A cursor over one buffer (the file, or one decompressed element).</summary>
    sealed class Reader(byte[] data, int position, int end, bool bigEndian, string path)
    {
        public int Position = position;

        int Int32At(int at) => bigEndian ? BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(at)) : BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(at));

        /// <summary>One element's tag: type, data offset and length; advances past the element.</summary>
        (int Type, int Offset, int Length) Tag()
        {
            if (Position + 8 > end) throw new BadInputException(path, "truncated MAT element tag");
            uint first = (uint)Int32At(Position);
            if (first >> 16 != 0) // small element: size in the upper 16 bits, data in the next 4 bytes
            {
                var small = ((int)(first & 0xFFFF), Position + 4, (int)(first >> 16));
                Position += 8;
                return small;
            }
            int type = (int)first, length = Int32At(Position + 4), offset = Position + 8;
            if (length < 0 || offset + length > end) throw new BadInputException(path, $"MAT element of {length} bytes runs past the end");
            Position = type == MiCompressed ? offset + length : offset + ((length + 7) & ~7);
            return (type, offset, length);
        }

        public MatArray? ReadElement()
        {
            var (type, offset, length) = Tag();
            if (type == MiCompressed)
            {
                using var z = new ZLibStream(new MemoryStream(data, offset, length, writable: false), CompressionMode.Decompress);
                var inflated = new MemoryStream();
                z.CopyTo(inflated);
                var inner = inflated.ToArray();
                return new Reader(inner, 0, inner.Length, bigEndian, path).ReadElement();
            }
            return type == MiMatrix ? ReadMatrix(offset, offset + length) : null;
        }

        MatArray? ReadMatrix(int start, int stop)
        {
            if (stop == start) return null; // an empty placeholder element
            var sub = new Reader(data, start, stop, bigEndian, path);
            var (_, flagsAt, _) = sub.Tag();
            int cls = Int32At(flagsAt) & 0xFF;
            var (_, dimsAt, dimsLength) = sub.Tag();
            var dims = Enumerable.Range(0, dimsLength / 4).Select(i => Int32At(dimsAt + 4 * i)).ToArray();
            var (_, nameAt, nameLength) = sub.Tag();
            var name = Encoding.ASCII.GetString(data, nameAt, nameLength);
            if (!NumericClasses.TryGetValue(cls, out var className)) return null; // struct, cell, char, sparse, object
            var (realType, realAt, realLength) = sub.Tag();
            var values = Numbers(realType, realAt, realLength);
            long count = dims.Aggregate(1L, (a, d) => a * d);
            if (values.Length != count) throw new BadInputException(path, $"MAT variable '{name}' has {values.Length} values for dimensions {string.Join('x', dims)}");
            return new MatArray(name, dims, values, className);
        }

        double[] Numbers(int type, int at, int length)
        {
            int size = type switch
            {
                MiInt8 or MiUInt8 => 1, MiInt16 or MiUInt16 => 2, MiInt32 or MiUInt32 or MiSingle => 4,
                MiDouble or MiInt64 or MiUInt64 => 8,
                _ => throw new BadInputException(path, $"MAT numeric data of unsupported type {type}"),
            };
            var v = new double[length / size];
            var s = data.AsSpan(at, length);
            for (int i = 0; i < v.Length; i++)
            {
                var e = s.Slice(i * size, size);
                v[i] = type switch
                {
                    MiInt8 => (sbyte)e[0],
                    MiUInt8 => e[0],
                    MiInt16 => bigEndian ? BinaryPrimitives.ReadInt16BigEndian(e) : BinaryPrimitives.ReadInt16LittleEndian(e),
                    MiUInt16 => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(e) : BinaryPrimitives.ReadUInt16LittleEndian(e),
                    MiInt32 => bigEndian ? BinaryPrimitives.ReadInt32BigEndian(e) : BinaryPrimitives.ReadInt32LittleEndian(e),
                    MiUInt32 => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(e) : BinaryPrimitives.ReadUInt32LittleEndian(e),
                    MiSingle => bigEndian ? BinaryPrimitives.ReadSingleBigEndian(e) : BinaryPrimitives.ReadSingleLittleEndian(e),
                    MiDouble => bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(e) : BinaryPrimitives.ReadDoubleLittleEndian(e),
                    MiInt64 => bigEndian ? BinaryPrimitives.ReadInt64BigEndian(e) : BinaryPrimitives.ReadInt64LittleEndian(e),
                    _ => bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(e) : BinaryPrimitives.ReadUInt64LittleEndian(e),
                };
            }
            return v;
        }
    }
}
