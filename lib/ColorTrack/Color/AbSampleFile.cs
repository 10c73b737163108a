using ColorTrack.Runtime;

namespace ColorTrack.Color;

/// <summary>
/// ab samples as a raw file: little-endian float32, (a, b) interleaved, no header — the format of
/// the shared fixture ab-samples.f32, so samples can be saved, shared and clustered elsewhere.
/// </summary>
public static class AbSampleFile
{
    public static float[] Read(string path)
    {
        if (!File.Exists(path)) throw new BadInputException(path, "file not found");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0 || bytes.Length % 8 != 0) throw new BadInputException(path, $"{bytes.Length} bytes is not a whole number of (a, b) float32 pairs");
        var ab = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, ab, 0, bytes.Length); // little-endian on every platform .NET runs this on
        return ab;
    }

    public static void Write(string path, float[] ab)
    {
        var bytes = new byte[ab.Length * 4];
        Buffer.BlockCopy(ab, 0, bytes, 0, bytes.Length);
        AtomicFile.WriteAllBytes(path, bytes);
    }
}
