using ColorTrack.Notebooks.Rendering;
using ColorTrack.Tests.Support;

namespace ColorTrack.Tests.Notebooks;

/// <summary>
/// One small notebook with what a shared page must handle (a photo-sized picture, a tiny one, a
/// headline, a very long text line), executed and rendered once for all of NotebookPipelineTests:
/// running a notebook takes seconds.
/// </summary>
public sealed class SharedPageFixture : IDisposable
{
    readonly TempDir _dir = new();

    public string Folder => _dir.Path;
    public string SourcePath => _dir["source.ipynb"];
    public string HtmlPath => _dir["sample.html"];
    public string ExecutedJson { get; }
    public string Html { get; }

    public SharedPageFixture()
    {
        NotebookPipelineTests.WriteNotebook(SourcePath,
            ("markdown", "# Sample\n\n**What this shows:** a *photo*, a tiny `ramp` and a headline. A second sentence."),
            ("code", NotebookPipelineTests.Setup),
            ("code", """
                using ColorTrack.Notebooks.Formatting;
                var rnd = new Random(7);
                var rgb = new byte[1280 * 720 * 3];
                for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i / 3 % 1280 / 8 + rnd.Next(40));
                var tiny = new byte[16 * 8 * 3];
                for (int i = 0; i < tiny.Length; i += 3) tiny[i] = (byte)(i % 255);
                Pictures.Row("row", new Picture(1280, 720, rgb, "photo") { DisplayWidth = 400 }, new Picture(16, 8, tiny, "tiny ramp") { DisplayWidth = 64 })
                """),
            ("code", "new Headline(\"mean J&F\", 0.431, \"mean J&F 0.431 on 3 videos\")"),
            ("code", "Console.WriteLine(new string('w', 400));"));
        var executed = _dir["sample.ipynb"];
        var r = NotebookRunner.Run(SourcePath, executed, TimeSpan.FromMinutes(5));
        if (!r.Succeeded) throw new InvalidOperationException(string.Join("; ", r.Errors));
        ExecutedJson = File.ReadAllText(executed);
        Html = NotebookHtmlRenderer.Render(ExecutedJson, "sample");
        File.WriteAllText(HtmlPath, Html);
    }

    public void Dispose() => _dir.Dispose();
}
