using System.CommandLine;
using System.CommandLine.Help;
using ColorTrack.Cli;
using ColorTrack.Cli.Commands;

// colortrack: one entry point, one file per command under Commands/.
// A plain Command named "colortrack" rather than a RootCommand: System.CommandLine 2.0 names a
// RootCommand after the executable (ColorTrack.Cli.dll), and usage lines should say what users type.
var root = new Command("colortrack", "colortrack — self-supervised tracking that emerges from colorizing video (Vondrick et al., ECCV 2018)")
{
    new HelpOption(), new VersionOption(),
};
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);

return CliErrors.Run(() =>
{
    ColorTrack.Runtime.Mpi.Initialize(); // one of several ranks under mpiexec/srun; a single process otherwise (nothing loaded)
    return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
});
