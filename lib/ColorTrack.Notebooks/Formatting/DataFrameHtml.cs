using System.Globalization;
using System.Net;
using Microsoft.Data.Analysis;

namespace ColorTrack.Notebooks.Formatting;

/// <summary>A DataFrame as a compact HTML table (numbers to 4 significant decimals).</summary>
public static class DataFrameHtml
{
    public static string Render(DataFrame df, int maxRows = 60)
    {
        var sb = new System.Text.StringBuilder("<table class=\"colortrack-table\" style=\"border-collapse:collapse;font-family:monospace\"><thead><tr>");
        foreach (var c in df.Columns) sb.Append($"<th style=\"border-bottom:1px solid #999;padding:2px 8px\">{WebUtility.HtmlEncode(c.Name)}</th>");
        sb.Append("</tr></thead><tbody>");
        long n = Math.Min(df.Rows.Count, maxRows);
        for (long r = 0; r < n; r++)
        {
            sb.Append("<tr>");
            foreach (var c in df.Columns)
            {
                var v = c[r];
                var text = v switch
                {
                    null => "",
                    double d => d.ToString("0.0000", CultureInfo.InvariantCulture),
                    float f => f.ToString("0.0000", CultureInfo.InvariantCulture),
                    _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
                };
                sb.Append($"<td style=\"padding:2px 8px;text-align:right\">{WebUtility.HtmlEncode(text)}</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        if (df.Rows.Count > n) sb.Append($"<div>… {df.Rows.Count - n} more rows</div>");
        return sb.ToString();
    }
}
