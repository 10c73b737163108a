using System.Runtime.InteropServices;

namespace ColorTrack.Runtime;

/// <summary>
/// Asks the system's dynamic loader directly why a library does not load. .NET's own message is a
/// generic "unable to load ... or one of its dependencies"; dlerror() names the real cause
/// ("version `GLIBCXX_3.4.32' not found", "libgtk-3.so.0: cannot open shared object file").
/// </summary>
public static partial class DynamicLoader
{
    const int RTLD_NOW = 2;

    [LibraryImport("libc.so.6", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr DlOpen(string path, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "dlerror")]
    private static partial IntPtr DlError();

    [LibraryImport("libc.so.6", EntryPoint = "dlclose")]
    private static partial int DlClose(IntPtr handle);

    /// <summary>null when <paramref name="path"/> loads; otherwise the loader's reason, one line.</summary>
    public static string? WhyNotLoadable(string path)
    {
        if (!File.Exists(path)) return "file not found";
        if (!OperatingSystem.IsLinux())
            return NativeLibrary.TryLoad(path, out _) ? null : "the library or one of its dependencies does not load";
        try
        {
            // Bind dlerror and clear any stale error first: binding a P/Invoke may itself call the
            // loader and overwrite the thread's error state between our dlopen and dlerror.
            DlError();
            var h = DlOpen(path, RTLD_NOW);
            if (h != IntPtr.Zero) { DlClose(h); return null; }
            var err = Marshal.PtrToStringUTF8(DlError());
            return string.IsNullOrEmpty(err) ? "unknown loader error" : ErrorText.FirstLine(err);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return NativeLibrary.TryLoad(path, out _) ? null : "the library or one of its dependencies does not load";
        }
    }
}
