using System.CommandLine;
using ColorTrack.Datasets.Manifests;
using Spectre.Console;

namespace ColorTrack.Cli.Commands;

/// <summary>`colortrack check-data`: validate a local copy of DAVIS, JHMDB or Kinetics against its manifest.</summary>
public static class CheckDataCommand
{
    public static Command Create()
    {
        var manifest = new Option<string>("--manifest") { Description = "davis2016, davis2017, jhmdb, kinetics400, or a path to a manifest .json", Required = true };
        var root = new Option<string>("--root") { Description = "Root folder of the local copy", Required = true };
        var set = new Option<string?>("--set") { Description = "Set or split to check (DAVIS: train/val; Kinetics: train/val/test)" };
        var threads = ComputeThreads.CreateOption();
        var cmd = new Command("check-data", "Check a local data-set copy against data-manifests/: layout, counts, frame numbering, decodability") { manifest, root, set, threads };
        cmd.SetAction(r => { ComputeThreads.Apply(r.GetValue(threads)); return Run(r.GetValue(manifest)!, r.GetValue(root)!, r.GetValue(set)); });
        return cmd;
    }

    /// <summary>A manifest by name (shipped next to the program) or by path.</summary>
    public static DatasetManifest Resolve(string nameOrPath)
    {
        if (File.Exists(nameOrPath)) return DatasetManifest.Load(nameOrPath);
        var shipped = Path.Combine(AppContext.BaseDirectory, "data-manifests", nameOrPath + ".json");
        if (File.Exists(shipped)) return DatasetManifest.Load(shipped);
        var names = Directory.Exists(Path.GetDirectoryName(shipped)) ? string.Join(", ", Directory.GetFiles(Path.GetDirectoryName(shipped)!, "*.json").Select(Path.GetFileNameWithoutExtension).Order()) : "none shipped";
        throw new BadInputException(nameOrPath, $"no such manifest file or name (names: {names})");
    }

    static int Run(string manifestName, string root, string? set)
    {
        var m = Resolve(manifestName);
        if (!Directory.Exists(root)) throw new BadInputException(root, File.Exists(root) ? "is a file, not the root folder of a data-set copy" : "data-set root folder not found");
        var report = ManifestValidator.Validate(m, root, set);
        var table = new Table().Title($"{Markup.Escape(m.Name)} at {Markup.Escape(Path.GetFullPath(root))}").AddColumns("what", "expected", "found");
        foreach (var (what, expected, found) in report.Counts) table.AddRow(Markup.Escape(what), expected, found);
        AnsiConsole.Write(table);
        foreach (var w in report.Warnings) AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(w)}");
        foreach (var e in report.Errors) Console.Error.WriteLine($"error: {e}");
        AnsiConsole.MarkupLine(report.Ok ? $"[green]ok[/]: {report.Usable.Count} usable" : $"[red]{report.Errors.Count} problem(s)[/]");
        return report.Ok ? 0 : CliErrors.BadInput;
    }
}
