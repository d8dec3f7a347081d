using KernelGateway.Notebooks.Execution;
using Spectre.Console;

namespace KernelGateway.Cli.Run;

/// <summary>
/// <c>run</c>'s progress on a terminal (stderr not redirected): a Spectre.Console progress display with one line per
/// run — cells done of the total, the running cell and its first line, elapsed time and ETA. Elsewhere (logs, pipes,
/// CI) the runner's plain lines are written instead.
/// </summary>
internal static class RunProgress
{
    /// <summary>Whether the display is drawn: stderr is a terminal and the cells' output is not streamed to it.</summary>
    public static bool Live(RunArguments a) => !Console.IsErrorRedirected && !a.LogOutput && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");

    /// <summary>Runs <paramref name="run"/> with one progress callback per run, drawn as a live display on stderr.</summary>
    public static Task<T> ShowAsync<T>(IReadOnlyList<string> names, Func<IReadOnlyList<Action<CellProgress>>, Task<T>> run)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var tasks = new List<ProgressTask>();
                var callbacks = names.Select(name =>
                {
                    var task = context.AddTask(Markup.Escape(name), autoStart: false, maxValue: 1);
                    tasks.Add(task);
                    return (Action<CellProgress>)(p =>
                    {
                        if (!task.IsStarted) task.StartTask();
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                        task.Description = Markup.Escape(p.Running is { } n ? $"{name}  cell {n}/{p.Total}: {Shorten(p.FirstLine ?? "")}" : $"{name}  {p.Done}/{p.Total} cells");
                        if (p.Done >= p.Total) task.StopTask();
                    });
                }).ToList();
                var result = await run(callbacks);
                foreach (var task in tasks) if (!task.IsFinished) task.StopTask();
                return result;
            });
    }

    private static string Shorten(string line) => line.Length > 40 ? line[..39] + "…" : line;
}
