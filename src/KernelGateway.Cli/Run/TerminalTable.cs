using Spectre.Console;

namespace KernelGateway.Cli.Run;

/// <summary>Writes a Spectre.Console table to stdout; to a log or a pipe, one row per line, nothing wrapped.</summary>
internal static class TerminalTable
{
    public static void Write(Table table)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected) console.Profile.Width = 1000;
        console.Write(table);
    }
}
