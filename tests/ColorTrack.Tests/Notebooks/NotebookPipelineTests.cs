using System.Text.Json.Nodes;
using ColorTrack.Notebooks.Formatting;
using ColorTrack.Notebooks.Rendering;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Notebooks;

/// <summary>The headless runner and the offline renderer, on small notebooks written here.</summary>
public class NotebookPipelineTests(SharedPageFixture page) : IClassFixture<SharedPageFixture>
{
    static string Dll(string name) => Path.Combine(AppContext.BaseDirectory, name).Replace("\\", "/");

    internal static void WriteNotebook(string path, params (string Kind, string Source)[] cells)
    {
        var arr = new JsonArray();
        foreach (var (kind, source) in cells)
        {
            var c = new JsonObject { ["cell_type"] = kind, ["id"] = $"c{arr.Count + 1:D2}-{kind}", ["metadata"] = new JsonObject(), ["source"] = source };
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

    internal static string Setup => string.Concat(new[] { "ColorTrack.dll", "ColorTrack.Notebooks.dll", "Plotly.NET.dll", "Plotly.NET.CSharp.dll" }
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

    [Fact]
    public void RenderedPage_HighlightsCodeInOpenBlocks_AndWrapsLines()
    {
        Assert.Contains("<details class=\"code\" open>", page.Html);
        Assert.DoesNotContain("<details class=\"code\">", page.Html); // no code hidden behind a closed block
        Assert.Contains(CodeHighlighter.Css, page.Html.Split("</head>")[0]); // ColorCode's style sheet, inlined
        Assert.Contains("<span class=\"keyword\">var</span>", page.Html); // ColorCode's C# markup
        Assert.Contains("white-space: pre-wrap; overflow-wrap: anywhere", page.Html);
        Assert.Contains("<pre class=\"output\">" + new string('w', 400), page.Html); // the long text output, wrapped by that rule
    }

    [Fact]
    public void RenderedPage_EmbedsTheBigPictureAsJpeg()
    {
        var census = FigureCensus.Of(page.Html);
        Assert.Equal(2, census.Pictures);
        Assert.Equal(1, census.Jpegs); // the photo; the tiny ramp stays PNG
        Assert.Contains("photo", census.Captions);
        var chromium = HeadlessBrowserCheck.FindChromium();
        if (chromium is null) return;
        var shown = HeadlessBrowserCheck.Check(page.HtmlPath, chromium);
        Assert.True(shown.AllShown, shown.ToString());
        Assert.Equal(2, shown.Pictures);
    }

    [Fact]
    public void Headline_RoundTripsThroughTheExecutedNotebookAndThePage()
    {
        var expected = new Headline("mean J&F", 0.431, "mean J&F 0.431 on 3 videos");
        Assert.Equal([expected], Headline.ReadAll(page.ExecutedJson));
        Assert.Equal([expected], Headline.ReadAll(page.Html));
    }

    [Fact]
    public void NotebookRunner_KeepsCellIds()
    {
        var source = JsonNode.Parse(File.ReadAllText(page.SourcePath))!["cells"]!.AsArray().Select(c => (string?)c!["id"]);
        var executed = JsonNode.Parse(page.ExecutedJson)!["cells"]!.AsArray().Select(c => (string?)c!["id"]);
        Assert.Equal(source, executed);
        Assert.All(executed, id => Assert.False(string.IsNullOrEmpty(id)));
    }

    [Fact]
    public void NotebookIndex_ListsThePageWithItsSummaryHeadlineSizeAndRunTime()
    {
        var pages = NotebookIndex.Write(page.Folder);
        var p = Assert.Single(pages);
        Assert.Equal("sample.html", p.HtmlFile);
        Assert.Equal("A photo, a tiny ramp and a headline.", p.Summary);
        Assert.Equal("mean J&F 0.431 on 3 videos", p.Headline);
        Assert.Equal(new FileInfo(page.HtmlPath).Length, p.Bytes);
        Assert.True(p.RunTime > TimeSpan.Zero && p.Succeeded);
        var index = File.ReadAllText(Path.Combine(page.Folder, NotebookIndex.FileName));
        Assert.Contains("href=\"sample.html\"", index);
        Assert.Contains("A photo, a tiny ramp and a headline.", index);
        Assert.Contains("mean J&amp;F 0.431 on 3 videos", index);
        Assert.Contains(NotebookIndex.Megabytes(p.Bytes), index);
    }
}
