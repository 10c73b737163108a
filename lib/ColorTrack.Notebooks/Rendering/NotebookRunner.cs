using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace ColorTrack.Notebooks.Rendering;

/// <summary>
/// Executes a .ipynb top to bottom, headlessly, in in-process .NET Interactive kernels (C#, and F# for
/// cells or notebooks in F#: FSharpKernelLoader), and writes the executed notebook (outputs filled in)
/// beside the source, which is never modified. The first cell's <c>#r "nuget: ColorTrack.Notebooks"</c> is
/// bound to this program's own ColorTrack (PackageBinding).
///
/// Why in-process rather than the dotnet-repl tool: dotnet-repl hosts FSharp.Core 10.0, while
/// Plotly.NET 6 needs 10.1; inside that host Plotly.NET and its HTML engine bind to different
/// FSharp.Core copies and every chart fails. This process carries FSharp.Core 10.1 in its own deps.
/// </summary>
public static class NotebookRunner
{
    public sealed record CellError(int CellIndex, string Name, string Message);

    /// <summary>The executed notebook's metadata entry holding elapsed_seconds and succeeded.</summary>
    public const string RunMetadataKey = "colortrack_run";

    public sealed record Result(string Notebook, string ExecutedPath, IReadOnlyList<CellError> Errors, TimeSpan Elapsed)
    {
        public bool Succeeded => Errors.Count == 0;
    }

    public static Result Run(string notebook, string outputIpynb, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        notebook = Path.GetFullPath(notebook);
        if (!File.Exists(notebook)) throw new BadInputException(notebook, "notebook not found");
        JsonNode root;
        try { root = JsonNode.Parse(File.ReadAllText(notebook)) ?? throw new InvalidDataException("empty"); }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
        { throw new BadInputException(notebook, "not a notebook (invalid JSON): " + Runtime.ErrorText.FirstLine(e.Message)); }
        var cells = root["cells"]?.AsArray() ?? throw new BadInputException(notebook, "not a notebook (no cells)");

        var sw = Stopwatch.StartNew();
        var errors = new List<CellError>();
        var savedDir = Environment.CurrentDirectory;
        var savedEnv = new Dictionary<string, string?>();
        try
        {
            // Relative paths in a notebook (#r "../lib/...", data folders) are relative to its folder.
            Environment.CurrentDirectory = Path.GetDirectoryName(notebook)!;
            if (environment != null)
                foreach (var (k, v) in environment) { savedEnv[k] = Environment.GetEnvironmentVariable(k); Environment.SetEnvironmentVariable(k, v); }

            var defaultLanguage = DefaultKernelName(root);
            var languages = cells.Where(c => (string?)c?["cell_type"] == "code").Select(c => KernelName(c!, defaultLanguage)).ToHashSet();
            using var kernel = new CompositeKernel { new CSharpKernel().UseKernelHelpers().UseValueSharing() };
            if (languages.Contains("fsharp")) kernel.Add(FSharpKernelLoader.Create(Path.GetDirectoryName(notebook)!));
            kernel.DefaultKernelName = defaultLanguage;
            int executionCount = 0;
            for (int i = 0; i < cells.Count; i++)
            {
                var cell = cells[i];
                if (cell is null || (string?)cell["cell_type"] != "code") continue;
                var outputs = new JsonArray();
                cell["outputs"] = outputs;
                cell["execution_count"] = ++executionCount;
                var remaining = timeout - sw.Elapsed;
                if (remaining <= TimeSpan.Zero)
                {
                    errors.Add(new CellError(i, "Timeout", $"notebook exceeded {timeout.TotalSeconds:F0} s"));
                    break;
                }
                var task = kernel.SendAsync(new SubmitCode(PackageBinding.Bind(Source(cell["source"]), notebook), KernelName(cell, defaultLanguage)));
                if (!task.Wait(remaining))
                {
                    errors.Add(new CellError(i, "Timeout", $"cell did not finish within the notebook's {timeout.TotalSeconds:F0} s"));
                    break;
                }
                foreach (var e in task.Result.Events)
                {
                    var output = ToOutput(e);
                    if (output != null) outputs.Add(output);
                    if (e is CommandFailed failed)
                        errors.Add(new CellError(i, failed.Exception?.GetType().Name ?? "Error", Runtime.ErrorText.FirstLine(failed.Message)));
                }
                if (errors.Count > 0) break; // like "run all": stop at the first failing cell
            }
        }
        finally
        {
            Environment.CurrentDirectory = savedDir;
            foreach (var (k, v) in savedEnv) Environment.SetEnvironmentVariable(k, v);
        }
        // The run's time and outcome travel with the executed notebook, so the contents page
        // (NotebookIndex) can list every page in the folder, not only those rendered this time.
        if (root["metadata"] is not JsonObject meta) root["metadata"] = meta = new JsonObject();
        meta[RunMetadataKey] = new JsonObject
        {
            ["elapsed_seconds"] = Math.Round(sw.Elapsed.TotalSeconds, 1), ["succeeded"] = errors.Count == 0,
            ["produced_by"] = PackageBinding.ProducedBy(),
        };
        // Cells are edited in place (outputs, execution_count), so their nbformat 4.5 ids and key order are kept.
        Runtime.AtomicFile.WriteAllText(outputIpynb, root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return new Result(notebook, Path.GetFullPath(outputIpynb), errors, sw.Elapsed);
    }

    /// <summary>The notebook's default language: "fsharp" for an F# notebook (kernelspec or Polyglot metadata), else "csharp".</summary>
    public static string DefaultKernelName(JsonNode root)
    {
        var meta = root["metadata"];
        var name = (string?)meta?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]
                   ?? (string?)meta?["kernelspec"]?["language"] ?? (string?)meta?["kernelspec"]?["name"] ?? "csharp";
        return Normalize(name) ?? "csharp";
    }

    /// <summary>A code cell's kernel: its own Polyglot/.NET Interactive metadata, else the notebook's default.</summary>
    public static string KernelName(JsonNode cell, string defaultName) =>
        Normalize((string?)cell["metadata"]?["polyglot_notebook"]?["kernelName"] ?? (string?)cell["metadata"]?["dotnet_interactive"]?["language"]) ?? defaultName;

    static string? Normalize(string? name) => name?.ToLowerInvariant() switch
    {
        null => null,
        "fsharp" or "f#" or ".net-fsharp" => "fsharp",
        "csharp" or "c#" or ".net-csharp" => "csharp",
        _ => null,
    };

    static JsonNode? ToOutput(KernelEvent e) => e switch
    {
        StandardOutputValueProduced o => Stream("stdout", o.FormattedValues),
        StandardErrorValueProduced o => Stream("stderr", o.FormattedValues),
        DisplayEvent d => new JsonObject
        {
            ["output_type"] = "display_data",
            ["metadata"] = new JsonObject(),
            ["data"] = new JsonObject(d.FormattedValues.Select(f => KeyValuePair.Create(f.MimeType, (JsonNode?)JsonValue.Create(f.Value)))),
        },
        CommandFailed f => new JsonObject
        {
            ["output_type"] = "error",
            ["ename"] = f.Exception?.GetType().Name ?? "Error",
            ["evalue"] = f.Message,
            ["traceback"] = new JsonArray(),
        },
        _ => null,
    };

    static JsonObject Stream(string name, IReadOnlyCollection<FormattedValue> values) => new()
    {
        ["output_type"] = "stream",
        ["name"] = name,
        ["text"] = string.Concat(values.Where(v => v.MimeType == "text/plain").Select(v => v.Value)),
    };

    static string Source(JsonNode? n) => n switch
    {
        null => "",
        JsonArray a => string.Concat(a.Select(x => (string?)x ?? "")),
        _ => (string?)n ?? "",
    };

    /// <summary>The error outputs of an executed notebook.</summary>
    public static IEnumerable<CellError> ErrorsIn(string ipynbJson)
    {
        var cells = JsonNode.Parse(ipynbJson)?["cells"]?.AsArray() ?? [];
        for (int i = 0; i < cells.Count; i++)
            foreach (var o in cells[i]?["outputs"]?.AsArray() ?? [])
                if ((string?)o?["output_type"] == "error")
                    yield return new CellError(i, (string?)o["ename"] ?? "Error", (string?)o["evalue"] ?? "");
    }
}
