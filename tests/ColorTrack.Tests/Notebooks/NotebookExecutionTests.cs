using ColorTrack.Notebooks.Formatting;
using ColorTrack.Notebooks.Rendering;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Notebooks;

/// <summary>
/// Every notebook in notebooks/ runs top to bottom without a cell error, on the embedded synthetic
/// data (a fresh machine) and on the real shared data, and its rendered page shows figures —
/// checked in headless Chromium when it is installed (CI installs it).
/// </summary>
public class NotebookExecutionTests
{
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(RepoRoot.Path, "notebooks"), "*.ipynb").Order())
            if (!Path.GetFileName(f).StartsWith('.')) data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_RunsOnSyntheticDataAndShowsItsFigures(string notebook) =>
        RunAndCheck(notebook, new Dictionary<string, string> { ["WORKBENCH_SHARED"] = "" }, real: false);

    [SharedDataTheory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_RunsOnRealDataAndShowsItsFigures(string notebook) =>
        RunAndCheck(notebook, new Dictionary<string, string> { ["WORKBENCH_SHARED"] = SharedData.Root! }, real: true);

    [Fact]
    public void Notebooks_AreCommittedWithoutOutputs()
    {
        foreach (var f in Directory.GetFiles(Path.Combine(RepoRoot.Path, "notebooks"), "*.ipynb"))
            Assert.DoesNotContain("\"output_type\"", File.ReadAllText(f));
    }

    /// <summary>A shared page stays small enough to send (pictures are downsampled JPEGs; plotly.js is inlined once).</summary>
    const int MaxPageBytes = 5 * 1024 * 1024;

    static void RunAndCheck(string notebook, Dictionary<string, string> env, bool real)
    {
        using var dir = new TempDir();
        var executed = dir[notebook];
        var result = NotebookRunner.Run(Path.Combine(RepoRoot.Path, "notebooks", notebook), executed, TimeSpan.FromMinutes(10), env);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));

        var html = NotebookHtmlRenderer.Render(File.ReadAllText(executed), notebook);
        var census = FigureCensus.Of(html);
        Assert.True(census.Charts + census.Pictures > 0, "a notebook shows pictures and charts, not only numbers");
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(html) <= MaxPageBytes, $"{notebook}: page is {System.Text.Encoding.UTF8.GetByteCount(html) / 1e6:F2} MB");
        CheckClaims(notebook, real, HeadlineReader.ReadAll(File.ReadAllText(executed)));

        var chromium = HeadlessBrowserCheck.FindChromium();
        if (chromium is null) return;
        File.WriteAllText(dir["page.html"], html);
        var shown = HeadlessBrowserCheck.Check(dir["page.html"], chromium);
        Assert.True(shown.AllShown, $"{notebook}: {shown}");
        Assert.Equal(census.Charts, shown.Charts);
    }

    /// <summary>
    /// The numbers each page's text relies on: the page says, in words, that these hold (its
    /// headline boxes carry the values), so a change that breaks them must fail here, not on the page.
    /// </summary>
    static void CheckClaims(string notebook, bool real, IReadOnlyList<Headline> headlines)
    {
        Assert.NotEmpty(headlines);
        double Value(string name) => Assert.Single(headlines, h => h.Name == name).Value;
        switch (notebook[..2])
        {
            case "01" when real: // "colour mostly stays put in ordinary video": well above chance a second later
                Assert.True(Value("agreement-over-chance") >= 2, $"agreement at 1 s is {Value("agreement-over-chance"):F2}x chance");
                break;
            case "04" when !real: // synthetic: "the pointer copies the right colour more often than copying the same place" (real video may trail, and the page says so)
                Assert.True(Value("copied-bin-right") > Value("same-place-right"), "the pointer should beat copying the same place");
                break;
            case "05": // the colorization tracker (best options) ahead of identity by a clear margin
                Assert.True(Value("jf-margin-over-identity") >= (real ? 0.05 : 0.1), $"margin over identity {Value("jf-margin-over-identity"):F3}");
                break;
            case "06": // no joint outside the frame (an emptied map keeps its joint's last position)
                Assert.Equal(0, Value("joints-outside-frame"));
                break;
            case "08": // the page's default (generated) clip: the object is kept to its last frame
                Assert.True(Value("jf-own-clip") >= 0.7, $"J&F {Value("jf-own-clip"):F3} on the generated clip's last frame");
                break;
        }
    }
}
