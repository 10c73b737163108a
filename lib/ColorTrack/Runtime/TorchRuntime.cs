using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace ColorTrack.Runtime;

/// <summary>
/// Loads TorchSharp's native stack from the (patched) natives that the build put next to this
/// library, and reports what was loaded.
///
/// Why: in a normal app (the CLI, the tests) the runtime finds the natives through the app's
/// deps.json. A notebook that references ColorTrack.dll is hosted by another app, so TorchSharp would
/// fall back to the unpatched natives in the NuGet cache, which do not load on Debian 12 (see
/// lib/ColorTrack/Runtime/GlibcxxWeakening.cs). <see cref="EnsureLoaded"/> installs a DllImport resolver for
/// TorchSharp that serves the natives from this library's build output; call it first.
/// </summary>
public static class TorchRuntime
{
    static readonly object Gate = new();
    static bool _loaded;
    static string? _nativeDir;

    /// <summary>
    /// The folder holding libLibTorchSharp: next to this assembly (a build), else one assembled from the NuGet
    /// cache (a package loaded by <c>#r "nuget: ColorTrack"</c>; see PackageNatives), else null.
    /// </summary>
    public static string? NativeDirectory => _nativeDir ??= FindNativeDirectory() ?? PackageNatives.Prepare(TorchSharpVersion);

    /// <summary>
    /// Make sure libtorch is loaded; idempotent and thread-safe. Throws
    /// <see cref="NativeLibraryUnavailableException"/> with one actionable line when it cannot be.
    /// </summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded) return;
            NativeHeap.KeepFreedMemory(); // before libtorch allocates anything
            var dir = NativeDirectory;
            var libName = LibraryFileName("LibTorchSharp");
            if (dir != null)
            {
                // Load it ourselves first: this gives the real loader error (dlerror) in one line.
                var path = Path.Combine(dir, libName);
                var why = DynamicLoader.WhyNotLoadable(path);
                if (why != null)
                    throw new NativeLibraryUnavailableException(
                        $"libtorch could not be loaded from {path}: {why}. Rebuild with 'dotnet build' so the natives are copied and patched again (see docs/native-runtime.md, 'TorchSharp on Debian 12').");
                InstallResolver(dir);
            }
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
                using var probe = torch.zeros(1);
            }
            catch (Exception e)
            {
                throw new NativeLibraryUnavailableException(
                    $"TorchSharp could not start libtorch ({ErrorText.FirstLine(e.Message)}). Build the project first ('dotnet build') and run from its output, or call TorchRuntime.EnsureLoaded() before any torch call.", e);
            }
            _loaded = true;
        }
    }

    static void InstallResolver(string dir)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(torch).Assembly, (name, _, _) =>
            {
                var candidate = Path.Combine(dir, LibraryFileName(name));
                return File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var h) ? h : IntPtr.Zero;
            });
        }
        catch (InvalidOperationException)
        {
            // A resolver is already installed (EnsureLoaded from a second AssemblyLoadContext): keep it.
        }
    }

    /// <summary>Environment variable that names another folder of natives (must hold libLibTorchSharp).</summary>
    public const string NativeDirVariable = "COLORTRACK_NATIVE_DIR";

    static string? FindNativeDirectory()
    {
        var overridden = Environment.GetEnvironmentVariable(NativeDirVariable);
        if (!string.IsNullOrEmpty(overridden)) return Path.GetFullPath(overridden);
        var here = Path.GetDirectoryName(typeof(TorchRuntime).Assembly.Location);
        if (string.IsNullOrEmpty(here)) here = AppContext.BaseDirectory;
        var rid = RuntimeInformation.RuntimeIdentifier.StartsWith("linux", StringComparison.Ordinal) ? "linux-x64"
                : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx-arm64" : "win-x64";
        var lib = LibraryFileName("LibTorchSharp");
        foreach (var dir in new[] { Path.Combine(here, "runtimes", rid, "native"), here, AppContext.BaseDirectory })
            if (File.Exists(Path.Combine(dir, lib))) return dir;
        return null;
    }

    static string LibraryFileName(string name) =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? name + ".dll"
        : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "lib" + name + ".dylib"
        : "lib" + name + ".so";

    /// <summary>TorchSharp's package version, e.g. 0.107.0.</summary>
    public static string TorchSharpVersion => InformationalVersion(typeof(torch).Assembly);

    /// <summary>The libtorch version TorchSharp was built against, e.g. 2.10.0.</summary>
    public static string LibTorchVersion
    {
        get
        {
            var v = torch.__version__; // "2.10.0.0"
            var parts = v.Split('.');
            return parts.Length == 4 && parts[3] == "0" ? string.Join('.', parts.Take(3)) : v;
        }
    }

    internal static string InformationalVersion(Assembly a)
    {
        var v = a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? a.GetName().Version?.ToString() ?? "?";
        var plus = v.IndexOf('+');
        return plus >= 0 ? v[..plus] : v;
    }
}
