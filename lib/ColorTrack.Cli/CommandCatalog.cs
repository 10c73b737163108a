using System.CommandLine;
using ColorTrack.Cli.Commands;

namespace ColorTrack.Cli;

/// <summary>Every `colortrack` subcommand, in the order `--help` lists them.</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return DemoCommand.Create();
        yield return DoctorCommand.Create();
        yield return TrackCommand.Create();
        yield return SynthCommand.Create();
        yield return QuantizeCommand.Create();
        yield return TrainCommand.Create();
        yield return ValidateCommand.Create();
        yield return ExportModelCommand.Create();
        yield return CheckDataCommand.Create();
        yield return RenderNotebooksCommand.Create();
        yield return EvalDavisCommand.Create();
        yield return EvalPckCommand.Create();
    }
}
