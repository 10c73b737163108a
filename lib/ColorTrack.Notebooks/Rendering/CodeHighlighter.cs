using System.Text;
using ColorCode;

namespace ColorTrack.Notebooks.Rendering;

/// <summary>
/// C# syntax highlighting for code cells, by the ColorCode library (the highlighter behind many
/// .NET documentation sites): class-based markup, with its style sheet inlined once in the page head.
/// </summary>
public static class CodeHighlighter
{
    /// <summary>The class of the div ColorCode wraps C# in; its style sheet is confined to it.</summary>
    public const string ContainerClass = "csharp";

    static readonly HtmlClassFormatter Formatter = new();

    /// <summary>The style sheet the markup's classes refer to, scoped to the code blocks.</summary>
    public static string Css { get; } = Scoped(Formatter.GetCSSString());

    /// <summary>Highlighted HTML for C# source (ColorCode HTML-encodes the source itself).</summary>
    public static string CSharp(string source)
    {
        // The formatter keeps a writer between calls, so calls must not overlap.
        lock (Formatter) return Formatter.GetHtmlString(source, Languages.CSharp);
    }

    /// <summary>The same for an F# cell.</summary>
    public static string FSharp(string source)
    {
        lock (Formatter) return Formatter.GetHtmlString(source, Languages.FSharp);
    }

    /// <summary>
    /// ColorCode's sheet styles body and generic classes (.string, .number, .type, .bold) for the
    /// whole page, which would recolour table cells, chart labels and outputs that happen to share
    /// a class name. Every rule is prefixed with the code container, and the body rule dropped.
    /// </summary>
    static string Scoped(string css)
    {
        var sb = new StringBuilder();
        foreach (var rule in css.Split('}', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int brace = rule.IndexOf('{');
            if (brace <= 0) continue;
            var selectors = rule[..brace].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                                         .Where(s => !s.Equals("body", StringComparison.OrdinalIgnoreCase))
                                         .Select(s => $".{ContainerClass} {s}")
                                         .ToList();
            if (selectors.Count > 0) sb.Append(string.Join(", ", selectors)).Append(' ').Append(rule[brace..]).Append("}\n");
        }
        return sb.ToString();
    }
}
