using System.CommandLine;
using ColorTrack.Cli;
using ColorTrack.Cli.Commands;

// colortrack: one entry point, one file per command under Commands/.
var root = new RootCommand("colortrack — self-supervised tracking that emerges from colorizing video (Vondrick et al., ECCV 2018)");
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);

return CliErrors.Run(() => root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
