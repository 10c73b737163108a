using System.Globalization;
using System.Text.RegularExpressions;

namespace ColorTrack.Datasets.Manifests;

/// <summary>Expands a manifest path pattern such as "JPEGImages/480p/{sequence}/{index:D5}.jpg".</summary>
public static partial class PathPattern
{
    public static string Expand(string pattern, IReadOnlyDictionary<string, object> values) =>
        Placeholder().Replace(pattern, m =>
        {
            var name = m.Groups[1].Value;
            if (!values.TryGetValue(name, out var v)) throw new KeyNotFoundException($"pattern '{pattern}' needs a value for {{{name}}}");
            var format = m.Groups[2].Success ? m.Groups[2].Value : null;
            return v is IFormattable f ? f.ToString(format, CultureInfo.InvariantCulture) : v.ToString() ?? "";
        });

    [GeneratedRegex(@"\{([A-Za-z_]+)(?::([A-Za-z0-9]+))?\}")]
    private static partial Regex Placeholder();
}
