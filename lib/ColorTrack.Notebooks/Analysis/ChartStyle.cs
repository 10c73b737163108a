using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;

namespace ColorTrack.Analysis;

/// <summary>Titles and axis labels for Plotly.NET charts, from C# (the F# API is curried).</summary>
public static class ChartStyle
{
    public static GenericChart Titled(this GenericChart chart, string title, string? xTitle = null, string? yTitle = null, int width = 720, int height = 420)
    {
        var c = Plotly.NET.Chart.withTitle(title, FSharpOption<Font>.None).Invoke(chart);
        if (xTitle != null) c = c.WithXAxisStyle<double, double, string>(TitleText: xTitle);
        if (yTitle != null) c = c.WithYAxisStyle<double, double, string>(TitleText: yTitle);
        return c.WithSize(width, height);
    }

    /// <summary>A Plotly colour from 8-bit RGB.</summary>
    public static Plotly.NET.Color Rgb(byte r, byte g, byte b) => Plotly.NET.Color.fromRGB(r, g, b);
}
