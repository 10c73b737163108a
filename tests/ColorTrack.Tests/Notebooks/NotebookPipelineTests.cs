using System.Text.Json.Nodes;
using ColorTrack.Notebooks.Rendering;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Notebooks;

/// <summary>The headless runner and the offline renderer, on small notebooks written here.</summary>
public class NotebookPipelineTests
{
    static string Dll(string name) => Path.Combine(AppContext.BaseDirectory, name).Replace("\\", "/");

    static void WriteNotebook(string path, params (string Kind, string Source)[] cells)
    {
        var arr = new JsonArray();
        foreach (var (kind, source) in cells)
        {
            var c = new JsonObject { ["cell_type"] = kind, ["metadata"] = new JsonObject(), ["source"] = source };
            if (kind == "code")
            {
                c["metadata"] = new JsonObject { ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" } };
                c["outputs"] = new JsonArray();
                c["execution_count"] = null;
            }
            arr.Add(c);
        }
        var nb = new JsonObject
        {
            ["cells"] = arr,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["language_info"] = new JsonObject { ["name"] = "csharp" },
            },
            ["nbformat"] = 4, ["nbformat_minor"] = 5,
        };
        File.WriteAllText(path, nb.ToJsonString());
    }

    static string Setup => string.Concat(new[] { "ColorTrack.dll", "ColorTrack.Notebooks.dll", "Plotly.NET.dll", "Plotly.NET.CSharp.dll" }
        .Select(d => $"#r \"{Dll(d)}\"\n")) + "ColorTrack.Notebooks.NotebookSetup.Initialize();";

    [Fact]
    public void NotebookRunner_ReportsTheFailingCellAndStops()
    {
        using var dir = new TempDir();
        var nb = dir["test.ipynb"];
        {
            WriteNotebook(nb, ("markdown", "# t"), ("code", Setup), ("code", "var x = 1;"), ("code", "throw new InvalidOperationException(\"boom\");"));
            var r = NotebookRunner.Run(nb, dir["out.ipynb"], TimeSpan.FromMinutes(5));
            Assert.False(r.Succeeded);
            var e = Assert.Single(r.Errors);
            Assert.Equal(3, e.CellIndex);
            Assert.Contains("boom", e.Message);
        }
    }

    [Fact]
    public void RenderedHtml_ShowsChartAndPictureOffline()
    {
        using var dir = new TempDir();
        var nb = dir["test.ipynb"];
        {
            WriteNotebook(nb,
                ("markdown", "# Chart and picture"),
                ("code", Setup),
                ("code", "using ColorTrack.Notebooks.Formatting;\nvar rgb = new byte[16 * 8 * 3]; for (int i = 0; i < rgb.Length; i += 3) rgb[i] = (byte)(i % 255);\nnew Picture(16, 8, rgb, \"red ramp\")"),
                ("code", "Plotly.NET.CSharp.Chart.Line<int, int, string>(x: new[] { 1, 2, 3 }, y: new[] { 2, 4, 3 })"));
            var r = NotebookRunner.Run(nb, dir["out.ipynb"], TimeSpan.FromMinutes(5));
            Assert.True(r.Succeeded, string.Join("; ", r.Errors));
            var html = NotebookHtmlRenderer.Render(File.ReadAllText(dir["out.ipynb"]), "t");
            Assert.DoesNotContain("cdn.plot.ly/plotly-2.28.0.min.js\"", html.Split("</head>")[0]); // nothing fetched in the head
            Assert.Contains("plotly.js v2.28.0", html.Split("</head>")[0]);                        // plotly.js inlined
            var census = FigureCensus.Of(html);
            Assert.Equal(1, census.Charts);
            Assert.Equal(1, census.Pictures);
            Assert.Contains("red ramp", census.Captions);

            var chromium = HeadlessBrowserCheck.FindChromium();
            if (chromium != null)
            {
                File.WriteAllText(dir["page.html"], html);
                var shown = HeadlessBrowserCheck.Check(dir["page.html"], chromium);
                Assert.True(shown.AllShown, shown.ToString());
                Assert.Equal(1, shown.ChartsDrawn);
            }
        }
    }
}
