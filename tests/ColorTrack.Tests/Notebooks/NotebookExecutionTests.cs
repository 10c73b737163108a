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
        RunAndCheck(notebook, new Dictionary<string, string> { ["WORKBENCH_SHARED"] = "" });

    [SharedDataTheory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_RunsOnRealDataAndShowsItsFigures(string notebook) =>
        RunAndCheck(notebook, new Dictionary<string, string> { ["WORKBENCH_SHARED"] = SharedData.Root! });

    [Fact]
    public void Notebooks_AreCommittedWithoutOutputs()
    {
        foreach (var f in Directory.GetFiles(Path.Combine(RepoRoot.Path, "notebooks"), "*.ipynb"))
            Assert.DoesNotContain("\"output_type\"", File.ReadAllText(f));
    }

    static void RunAndCheck(string notebook, Dictionary<string, string> env)
    {
        using var dir = new TempDir();
        var executed = dir[notebook];
        var result = NotebookRunner.Run(Path.Combine(RepoRoot.Path, "notebooks", notebook), executed, TimeSpan.FromMinutes(10), env);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));

        var html = NotebookHtmlRenderer.Render(File.ReadAllText(executed), notebook);
        var census = FigureCensus.Of(html);
        Assert.True(census.Charts + census.Pictures > 0, "a notebook shows pictures and charts, not only numbers");

        var chromium = HeadlessBrowserCheck.FindChromium();
        if (chromium is null) return;
        File.WriteAllText(dir["page.html"], html);
        var shown = HeadlessBrowserCheck.Check(dir["page.html"], chromium);
        Assert.True(shown.AllShown, $"{notebook}: {shown}");
        Assert.Equal(census.Charts, shown.Charts);
    }
}
