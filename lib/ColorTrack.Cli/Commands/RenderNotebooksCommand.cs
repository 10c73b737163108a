using System.CommandLine;
using ColorTrack.Notebooks.Rendering;
using ColorTrack.Runtime;
using Spectre.Console;

namespace ColorTrack.Cli.Commands;

/// <summary>
/// `colortrack render-notebooks`: execute every notebook headlessly (in-process C# and F# kernels; see
/// NotebookRunner) and write, for each, the executed .ipynb and a self-contained HTML page for sharing, plus
/// index.html, a contents page linking them (NotebookIndex), and notebooks.zip of them all (NotebookBundle).
/// </summary>
public static class RenderNotebooksCommand
{
    public static Command Create()
    {
        var notebooks = new Option<string>("--notebooks") { Description = "Folder of .ipynb notebooks", DefaultValueFactory = _ => "notebooks" };
        var output = new Option<string>("--out") { Description = "Output folder for executed notebooks and HTML", DefaultValueFactory = _ => "notebooks/rendered" };
        var only = new Option<string?>("--only") { Description = "Run only notebooks whose file name contains this text" };
        var verify = new Option<bool>("--verify") { Description = "Open each HTML page in headless Chromium and check every chart and picture is shown" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds allowed per notebook", DefaultValueFactory = _ => 900 };
        var threads = ComputeThreads.CreateOption(); // the kernel runs in this process: its torch and OpenCV threads
        var cmd = new Command("render-notebooks", "Execute the notebooks headlessly and render each to self-contained HTML") { notebooks, output, only, verify, timeout, threads };
        cmd.SetAction(r => { ComputeThreads.Apply(r.GetValue(threads)); return Run(r.GetValue(notebooks)!, r.GetValue(output)!, r.GetValue(only), r.GetValue(verify), r.GetValue(timeout)); });
        return cmd;
    }

    static int Run(string folder, string outDir, string? only, bool verify, int timeoutSeconds)
    {
        if (!Directory.Exists(folder)) throw new BadInputException(folder, "notebook folder not found");
        var files = Directory.GetFiles(folder, "*.ipynb").Where(f => only is null || Path.GetFileName(f).Contains(only, StringComparison.OrdinalIgnoreCase)).Order().ToList();
        if (files.Count == 0) throw new BadInputException(folder, only is null ? "no .ipynb notebooks in it" : $"no notebook name contains '{only}'");
        string? chromium = null;
        if (verify && (chromium = HeadlessBrowserCheck.FindChromium()) is null)
            throw new BadInputException("--verify", "needs Chromium (Debian: apt-get install chromium)");
        Directory.CreateDirectory(outDir);

        var table = new Table().AddColumns("notebook", "result", "seconds", "size", "charts", "pictures", "in chromium");
        int failures = 0;
        foreach (var nb in files)
        {
            var name = Path.GetFileNameWithoutExtension(nb);
            AnsiConsole.MarkupLine($"[grey]running[/] {Markup.Escape(name)} …");
            var executed = Path.Combine(outDir, name + ".ipynb");
            var result = NotebookRunner.Run(nb, executed, TimeSpan.FromSeconds(timeoutSeconds));
            string shown = "-", size = "-";
            FigureCensus.Census census = new(0, 0, []);
            if (File.Exists(executed))
            {
                var html = NotebookHtmlRenderer.Render(File.ReadAllText(executed), name);
                var htmlPath = Path.Combine(outDir, name + ".html");
                AtomicFile.WriteAllText(htmlPath, html);
                census = FigureCensus.Of(html);
                size = NotebookIndex.Megabytes(new FileInfo(htmlPath).Length);
                if (chromium != null)
                {
                    var rep = HeadlessBrowserCheck.Check(htmlPath, chromium);
                    shown = $"{rep.ChartsDrawn}/{rep.Charts} charts, {rep.PicturesDecoded}/{rep.Pictures} pictures";
                    if (!rep.AllShown) failures++;
                }
            }
            if (!result.Succeeded) failures++;
            var status = result.Succeeded ? "[green]ok[/]" : $"[red]failed[/]: {Markup.Escape(string.Join("; ", result.Errors.Select(e => $"cell {e.CellIndex}: {e.Name}: {e.Message}")))}";
            table.AddRow(Markup.Escape(name), status, $"{result.Elapsed.TotalSeconds:F0}", size, census.Charts.ToString(), census.Pictures.ToString(), Markup.Escape(shown));
        }
        AnsiConsole.Write(table);
        var listed = NotebookIndex.Write(outDir);
        AnsiConsole.MarkupLine($"contents page: {Markup.Escape(NotebookIndex.FileName)} ({listed.Count} pages)");
        var bundle = NotebookBundle.Write(outDir);
        AnsiConsole.MarkupLine($"to share: {Markup.Escape(Path.GetFileName(bundle))} ({NotebookIndex.Megabytes(new FileInfo(bundle).Length)}; the pages open offline, the executed notebooks re-run with the packages)");
        AnsiConsole.MarkupLine($"written to [bold]{Markup.Escape(Path.GetFullPath(outDir))}[/]");
        return failures == 0 ? 0 : 1;
    }
}
