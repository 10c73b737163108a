using System.IO.Compression;

namespace ColorTrack.Notebooks.Rendering;

/// <summary>
/// One file to send: notebooks.zip beside the rendered pages, holding the contents page (index.html), every
/// page (self-contained HTML: it opens offline, in any browser) and its executed notebook (to re-run it with
/// the packages: notebooks/README.md). Written to a temporary name and renamed, so a reader never finds half a zip.
/// </summary>
public static class NotebookBundle
{
    public const string FileName = "notebooks.zip";

    /// <summary>Zips the folder's contents page and its pages with their executed notebooks; returns the zip's path.</summary>
    public static string Write(string folder)
    {
        var pages = NotebookIndex.Scan(folder);
        var index = Path.Combine(folder, NotebookIndex.FileName);
        if (!File.Exists(index)) throw new BadInputException(folder, "no contents page (index.html) to bundle: render the notebooks first");
        var path = Path.Combine(folder, FileName);
        var temp = Path.Combine(folder, $".{FileName}.{Guid.NewGuid():N}.partial");
        try
        {
            using (var zip = ZipFile.Open(temp, ZipArchiveMode.Create))
            {
                zip.CreateEntryFromFile(index, NotebookIndex.FileName, CompressionLevel.Optimal);
                foreach (var page in pages)
                {
                    zip.CreateEntryFromFile(Path.Combine(folder, page.HtmlFile), page.HtmlFile, CompressionLevel.Optimal);
                    var ipynb = Path.ChangeExtension(page.HtmlFile, ".ipynb");
                    zip.CreateEntryFromFile(Path.Combine(folder, ipynb), ipynb, CompressionLevel.Optimal);
                }
            }
            File.Move(temp, path, overwrite: true);
        }
        finally { if (File.Exists(temp)) File.Delete(temp); }
        return path;
    }
}
