using System.Globalization;
using Microsoft.Data.Analysis;
using Spectre.Console;

namespace ColorTrack.Cli.Commands;

/// <summary>Shows an evaluation's results DataFrame on the console (eval-davis, eval-pck).</summary>
internal static class ResultsConsole
{
    /// <summary>Text columns left, numbers right in <paramref name="numberFormat"/>; the last (summary) row set apart.</summary>
    public static Table ToTable(DataFrame table, string numberFormat)
    {
        var t = new Table().Border(TableBorder.Simple);
        foreach (var c in table.Columns) t.AddColumn(new TableColumn(c.Name) { Alignment = c is StringDataFrameColumn ? Justify.Left : Justify.Right });
        for (long r = 0; r < table.Rows.Count; r++)
        {
            if (r == table.Rows.Count - 1) t.AddEmptyRow();
            t.AddRow(table.Columns.Select(c => Markup.Escape(Format(c[r], numberFormat))).ToArray());
        }
        return t;
    }

    public static string Format(object? value, string numberFormat) => value switch
    {
        double d => d.ToString(numberFormat, CultureInfo.InvariantCulture),
        null => "",
        var v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    public static void Write(Table table)
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160; // a log file does not wrap: keep rows whole
        AnsiConsole.Write(table);
    }
}
