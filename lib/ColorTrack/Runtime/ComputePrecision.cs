using static TorchSharp.torch;

namespace ColorTrack.Runtime;

/// <summary>
/// The element type networks and affinities compute in: fp32, bf16, or auto = bf16 where the CPU
/// multiplies bfloat16 natively (AVX-512 BF16 or AMX: oneDNN runs the convolutions and matmuls about
/// 2x faster, `colortrack-bench bf16`), else fp32 (emulated bf16 would be slower than fp32).
/// </summary>
public static class ComputePrecision
{
    public const string Fp32 = "fp32", Bf16 = "bf16", Auto = "auto";

    /// <summary>Does this CPU have native bfloat16 arithmetic (Linux /proc/cpuinfo flags)?</summary>
    public static bool CpuHasBFloat16 { get; } = DetectBFloat16();

    /// <summary>fp32 | bf16 | auto (null = fp32) to the element type to compute in.</summary>
    /// <param name="name">The precision asked for.</param>
    /// <param name="cosineAffinities">Whether the affinities are cosines of a network's L2-normalised embeddings
    /// (bounded, measured within 0.0002 J&amp;F of fp32 in bf16). auto keeps anything else in fp32: the Lab-pixel
    /// pointer's large unnormalised products lose their labels in 8 significant bits at a low temperature.</param>
    public static ScalarType Resolve(string? name, bool cosineAffinities = true) => name switch
    {
        null or Fp32 => ScalarType.Float32,
        Bf16 => ScalarType.BFloat16,
        Auto => CpuHasBFloat16 && cosineAffinities ? ScalarType.BFloat16 : ScalarType.Float32,
        _ => throw BadInputException.Setting("precision", $"unknown precision '{name}' (fp32, bf16 or auto)"),
    };

    /// <summary>The short name of an element type (fp32, bf16).</summary>
    public static string Name(ScalarType type) => type == ScalarType.BFloat16 ? Bf16 : Fp32;

    static bool DetectBFloat16()
    {
        try
        {
            var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
            return flags != null && (flags.Contains(" avx512_bf16", StringComparison.Ordinal) || flags.Contains(" amx_bf16", StringComparison.Ordinal));
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
