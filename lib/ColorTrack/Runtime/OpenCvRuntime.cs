using System.Runtime.InteropServices;

namespace ColorTrack.Runtime;

/// <summary>
/// Checks that OpenCV (libOpenCvSharpExtern, with its bundled FFmpeg) loads, and says exactly which
/// dependency is missing when it does not. On Linux the official runtime package links GTK 3
/// (Debian/Ubuntu package libgtk-3-0) for its highgui module, even though we never open a window.
/// </summary>
public static partial class OpenCvRuntime
{
    static readonly object Gate = new();
    static string? _version;

    /// <summary>Load OpenCV; returns its version. Throws <see cref="NativeLibraryUnavailableException"/>.</summary>
    public static string EnsureLoaded()
    {
        lock (Gate)
        {
            if (_version != null) return _version;
            QuietNativeLogging();
            try
            {
                var v = OpenCvSharp.Cv2.GetVersionString() ?? "unknown";
                _version = v;
                return v;
            }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
            {
                throw new NativeLibraryUnavailableException($"OpenCV could not be loaded: {Diagnose()}", e);
            }
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    /// <summary>
    /// OpenCV and its bundled FFmpeg log to stderr ("moov atom not found", "[ WARN:0] ... open
    /// VIDEOIO"): that would turn our one-line errors into several. Their levels are read from the
    /// native environment when OpenCV starts, so set them there (a user's own setting wins).
    /// .NET's Environment.SetEnvironmentVariable does not reach the native environment on Linux.
    /// </summary>
    static void QuietNativeLogging()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            SetEnv("OPENCV_LOG_LEVEL", "ERROR", 0);
            SetEnv("OPENCV_FFMPEG_LOGLEVEL", "-8", 0); // AV_LOG_QUIET
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    static string Diagnose()
    {
        var dir = TorchRuntime.NativeDirectory ?? AppContext.BaseDirectory;
        var path = Path.Combine(dir, "libOpenCvSharpExtern.so");
        if (!File.Exists(path)) return $"{path} is missing; rebuild with 'dotnet build' (package OpenCvSharp4.official.runtime.linux-x64)";
        var why = DynamicLoader.WhyNotLoadable(path);
        if (why == null) return "the library loads, but OpenCvSharp could not bind to it";
        var hint = why.Contains("libgtk-3") || why.Contains("libgdk-3")
            ? " — install GTK 3 (Debian/Ubuntu: sudo apt-get install libgtk-3-0)"
            : "";
        return $"{path}: {why}{hint}";
    }
}
