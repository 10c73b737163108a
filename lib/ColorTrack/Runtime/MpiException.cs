namespace ColorTrack.Runtime;

/// <summary>An MPI call failed: a rank of the job died or cannot be reached. The message is one line.</summary>
public sealed class MpiException(string message) : Exception(message);
