using ColorTrack.Notebooks.Formatting;
using ColorTrack.Imaging;
using ColorTrack.Runtime;
using ColorTrack.Video;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace ColorTrack.Notebooks;

/// <summary>
/// The one call a notebook's first cell makes: load the (patched) native torch stack and register
/// the formatters that show the library's types as pictures, charts and tables.
/// </summary>
public static class NotebookSetup
{
    static bool _done;

    public static void Initialize()
    {
        TorchRuntime.EnsureLoaded();
        if (_done) return;
        _done = true;
        Formatter.Register<Picture>(p => p.ToHtml(), "text/html");
        Formatter.Register<PictureRow>(r => r.ToHtml(), "text/html");
        Formatter.Register<Animation>(a => a.ToHtml(), "text/html");
        Formatter.Register<Headline>(h => h.ToHtml(), "text/html");
        Formatter.Register<Note>(n => n.ToHtml(), "text/html");
        Formatter.Register<GenericChart>(ChartHtml.Render, "text/html");
        Formatter.Register<DataFrame>(df => DataFrameHtml.Render(df), "text/html");
        Formatter.Register<VideoFrame>(f => Pictures.Of(f).ToHtml(), "text/html");
        Formatter.Register<IndexedMask>(m => Pictures.Of(m).ToHtml(), "text/html");
    }

    /// <summary>
    /// Where a notebook should look for real data: $WORKBENCH_SHARED if set (and present), else null,
    /// in which case notebooks use the embedded synthetic data.
    /// </summary>
    public static string? SharedDataRoot()
    {
        var dir = Environment.GetEnvironmentVariable("WORKBENCH_SHARED");
        return !string.IsNullOrEmpty(dir) && Directory.Exists(dir) ? Path.GetFullPath(dir) : null;
    }
}
