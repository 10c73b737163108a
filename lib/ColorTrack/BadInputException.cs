namespace ColorTrack;

/// <summary>
/// Input the user gave us is wrong: a missing file, an undecodable video, a mask of the wrong size.
/// The message is one line that names the file and the problem; the CLI prints it as is and exits
/// non-zero, with no stack trace. A bad setting of a configuration record is named by the setting
/// (<see cref="Setting"/>, e.g. <c>TrainingConfig.Steps</c>), never by a command-line flag: the CLI
/// maps settings to its flags when it prints the error.
/// </summary>
public sealed class BadInputException : Exception
{
    public string Path { get; }
    public string Problem { get; }

    /// <summary>The configuration setting at fault (Type.Property), or null when the problem is a file or other input.</summary>
    public string? SettingName { get; private init; }

    /// <summary>A bad value of a configuration setting, e.g. <c>Setting("TrainingConfig.Steps", "must be >= 1")</c>.</summary>
    public static BadInputException Setting(string setting, string problem) => new(setting, problem) { SettingName = setting };

    public BadInputException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }
}
