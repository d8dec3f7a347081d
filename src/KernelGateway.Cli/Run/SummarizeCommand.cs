using KernelGateway.Notebooks.Summaries;
using Spectre.Console;
using System.CommandLine;

namespace KernelGateway.Cli.Run;

/// <summary>
/// <c>kernelgateway summarize 'runs/*.ipynb'... [--format table|csv|json] [-o file]</c>: one row per output notebook
/// (path, status, duration, failing cell, parameters, scraps), as a table on the terminal, CSV or JSON. Exit code 0,
/// or 2 when nothing matched or a notebook could not be read.
/// </summary>
internal static class SummarizeCommand
{
    public static Command Create()
    {
        var patterns = new Argument<string[]>("notebooks") { Description = "Output notebooks: paths or patterns such as 'runs/*.ipynb'", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format") { Description = "table (default), csv or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var output = new Option<string>("--output", "-o") { Description = "Write to this file instead of stdout (csv, json)", HelpName = "file" };
        var command = new Command("summarize", "One row per output notebook: path, status, duration, failing cell, parameters and the scraps its cells glued")
        {
            patterns, format, output,
        };
        command.SetAction((parse, _) => RunAsync(parse.GetValue(patterns)!, parse.GetValue(format)!, parse.GetValue(output)));
        return command;
    }

    private static async Task<int> RunAsync(IReadOnlyList<string> patterns, string format, string? output)
    {
        List<RunSummary> rows;
        try
        {
            var paths = patterns.SelectMany(RunSummaries.Expand).Distinct().ToList();
            if (paths.Count == 0) return Fail($"no notebook matches {string.Join(", ", patterns)}");
            rows = paths.Select(RunSummaries.Read).ToList();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
        {
            return Fail(e.Message);
        }
        var text = format switch
        {
            "csv" => RunSummaries.ToCsv(rows),
            "json" => RunSummaries.ToJson(rows) + "\n",
            _ => null,
        };
        if (text is null)
        {
            Table(rows);
            return 0;
        }
        if (output is null) await Console.Out.WriteAsync(text);
        else await File.WriteAllTextAsync(output, text);
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"kernelgateway summarize: {message}");
        return 2;
    }

    private static void Table(IReadOnlyList<RunSummary> rows)
    {
        var columns = RunSummaries.Columns(rows);
        var table = new Table().Border(TableBorder.Simple);
        foreach (var c in columns) table.AddColumn(Markup.Escape(c));
        foreach (var row in rows) table.AddRow(RunSummaries.Cells(row, columns).Select(v => Markup.Escape(RunSummaries.Text(v))).ToArray());
        TerminalTable.Write(table);
    }
}
