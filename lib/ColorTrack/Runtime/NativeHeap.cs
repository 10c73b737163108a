using System.Runtime.InteropServices;

namespace ColorTrack.Runtime;

/// <summary>
/// Tunes glibc's allocator, which libtorch's CPU tensors come from, to keep freed memory for reuse.
///
/// Why: by default glibc serves every block over 128 KiB (a frame's activations, a tile's scores) with
/// a fresh mmap and gives it back on free, so the next frame pays a page fault for each 4 KiB it
/// touches again; on the 2-core VMs measured here that doubled the encoder's time per 480p frame
/// (0.22 s against 0.10 s, `colortrack-bench propagate --in-process`). With blocks up to 32 MiB taken
/// from the heap and the heap's top not trimmed, a video's frames reuse the same pages. The peak
/// resident memory is what the largest frame needs either way; memory once used is kept until exit.
/// </summary>
public static partial class NativeHeap
{
    const int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_THRESHOLD = -3;

    /// <summary>Largest block the heap serves (glibc's maximum mmap threshold on 64-bit).</summary>
    public const int HeapBlockLimit = 32 << 20;

    /// <summary>Set to 1 to keep glibc's defaults.</summary>
    public const string DefaultsVariable = "COLORTRACK_MALLOC_DEFAULTS";

    static bool _tuned;

    /// <summary>Whether <see cref="KeepFreedMemory"/> changed the allocator (glibc on Linux only).</summary>
    public static bool Tuned => _tuned;

    /// <summary>Idempotent; a no-op off glibc, or when the user set MALLOC_* variables of their own.</summary>
    public static void KeepFreedMemory()
    {
        if (_tuned || !OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(DefaultsVariable) == "1") return;
        foreach (var name in new[] { "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_" })
            if (Environment.GetEnvironmentVariable(name) != null) return; // the user's choice wins
        try
        {
            _tuned = mallopt(M_MMAP_THRESHOLD, HeapBlockLimit) == 1
                   & mallopt(M_TRIM_THRESHOLD, int.MaxValue) == 1
                   & mallopt(M_TOP_PAD, 64 << 20) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl or another libc without mallopt: keep its defaults.
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);
}
