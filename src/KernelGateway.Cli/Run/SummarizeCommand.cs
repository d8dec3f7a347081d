using KernelGateway.Notebooks.Summaries;
using Spectre.Console;
using static KernelGateway.Cli.Commands;

namespace KernelGateway.Cli.Run;

/// <summary>
/// <c>kernelgateway summarize 'runs/*.ipynb'... [--format table|csv|json] [-o file]</c>: one row per output notebook
/// (path, status, duration, failing cell, parameters, scraps), as a table on the terminal, CSV or JSON. Exit code 0,
/// or 2 when nothing matched or a notebook could not be read.
/// </summary>
internal static class SummarizeCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var patterns = new List<string>();
        var format = "table";
        string? output = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--format" when i + 1 < args.Length: format = args[++i]; break;
                case "-o" or "--output" when i + 1 < args.Length: output = args[++i]; break;
                case var a when a.StartsWith('-'): throw new UsageException($"summarize: unexpected '{a}'");
                default: patterns.Add(args[i]); break;
            }
        }
        if (format is not ("table" or "csv" or "json")) throw new UsageException("--format is table, csv or json");
        if (patterns.Count == 0) throw new UsageException("summarize needs output notebooks: a path or a pattern such as 'runs/*.ipynb'");
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
