namespace ColorTrack.Runtime;

/// <summary>Turns library and native error messages into the one line a user sees.</summary>
public static class ErrorText
{
    /// <summary>The first non-blank line of a (possibly multi-line) message.</summary>
    public static string FirstLine(string s)
    {
        foreach (var line in s.Split('\n'))
            if (line.Trim().Length > 0) return line.Trim();
        return s.Trim();
    }
}
