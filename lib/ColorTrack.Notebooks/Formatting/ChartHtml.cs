using Plotly.NET;

namespace ColorTrack.Notebooks.Formatting;

/// <summary>
/// A Plotly.NET chart as an HTML fragment that works both live and offline. The fragment does not
/// reference plotly.js itself: the offline renderer inlines plotly.js once per page (no CDN), and in
/// a live notebook front end, where no Plotly global exists yet, the script loads it on demand.
/// </summary>
public static class ChartHtml
{
    /// <summary>plotly.js as shipped inside Plotly.NET (so the version matches the chart JSON).</summary>
    public static string PlotlyJs { get; } = LoadPlotlyJs();

    public const string PlotlyVersion = "2.28.0";

    public static string Render(GenericChart chart)
    {
        var id = "plot-" + Guid.NewGuid().ToString("N")[..12];
        var figure = GenericChart.toJson(chart); // {"data":[...],"layout":{...},"config":{...}}
        return $$"""
            <div id="{{id}}" class="colortrack-plot" style="width:100%;min-height:420px"></div>
            <script type="text/javascript">
            (function () {
              var fig = {{figure}};
              function draw() { Plotly.newPlot('{{id}}', fig.data, fig.layout || {}, Object.assign({responsive: true}, fig.config || {})); }
              if (window.Plotly) { draw(); return; }
              var s = document.createElement('script');
              s.src = 'https://cdn.plot.ly/plotly-{{PlotlyVersion}}.min.js';
              s.onload = draw;
              document.head.appendChild(s);
            })();
            </script>
            """;
    }

    static string LoadPlotlyJs()
    {
        var asm = typeof(GenericChart).Assembly;
        var name = asm.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith($"plotly-{PlotlyVersion}.min.js", StringComparison.Ordinal))
                   ?? asm.GetManifestResourceNames().First(n => n.EndsWith(".min.js", StringComparison.Ordinal));
        using var s = asm.GetManifestResourceStream(name)!;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
