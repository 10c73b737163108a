namespace ColorTrack.Runtime;

/// <summary>A native library (libtorch, OpenCV) could not be loaded; the message is one actionable line.</summary>
public sealed class NativeLibraryUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
