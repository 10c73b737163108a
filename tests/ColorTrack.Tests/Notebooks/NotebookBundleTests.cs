using System.IO.Compression;
using ColorTrack.Notebooks.Rendering;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Notebooks;

public class NotebookBundleTests
{
    [Fact]
    public void Bundle_HoldsTheContentsPageEveryPageAndItsExecutedNotebook()
    {
        using var dir = new TempDir();
        foreach (var name in new[] { "01-a", "02-b" })
        {
            File.WriteAllText(dir[name + ".ipynb"], """{"cells":[{"cell_type":"markdown","source":"# A\n\n**What this shows:** a page."}],"metadata":{}}""");
            File.WriteAllText(dir[name + ".html"], "<html><body>page</body></html>");
        }
        File.WriteAllText(dir["stray.html"], "no notebook beside it: not a page");
        NotebookIndex.Write(dir.Path);

        var zip = NotebookBundle.Write(dir.Path);

        Assert.Equal(Path.Combine(dir.Path, "notebooks.zip"), zip);
        using var archive = ZipFile.OpenRead(zip);
        Assert.Equal(["01-a.html", "01-a.ipynb", "02-b.html", "02-b.ipynb", "index.html"], archive.Entries.Select(e => e.FullName).Order());
        Assert.Empty(Directory.GetFiles(dir.Path, "*.partial"));
    }

    [Fact]
    public void Bundle_WithoutAContentsPage_IsAClearError()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<BadInputException>(() => NotebookBundle.Write(dir.Path));
        Assert.Contains("no contents page", e.Message);
        Assert.False(File.Exists(dir["notebooks.zip"]));
    }
}
