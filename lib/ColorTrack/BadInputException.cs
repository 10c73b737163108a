namespace ColorTrack;

/// <summary>
/// Input the user gave us is wrong: a missing file, an undecodable video, a mask of the wrong size.
/// The message is one line that names the file and the problem; the CLI prints it as is and exits
/// non-zero, with no stack trace.
/// </summary>
public sealed class BadInputException : Exception
{
    public string Path { get; }
    public string Problem { get; }

    public BadInputException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }
}
