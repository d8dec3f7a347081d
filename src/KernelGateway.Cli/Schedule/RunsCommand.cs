using System.CommandLine;
using System.Globalization;
using KernelGateway.Cli.Run;
using KernelGateway.Jobs;
using KernelGateway.Jobs.Model;
using Spectre.Console;

namespace KernelGateway.Cli.Schedule;

/// <summary><c>kernelgateway runs list|show|cancel</c>: the run records of the data directory's state database.</summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var command = new Command("runs", "Runs recorded in the state database: list, show, cancel");
        command.Subcommands.Add(List("list", "Runs, newest first", null));
        var showId = IdArgument();
        command.Subcommands.Add(ScheduleCommand.Action("show", "One run, with its output notebook and error", [showId], async (jobs, parse, ct) =>
        {
            var run = await jobs.GetRunAsync(parse.GetValue(showId), ct);
            WriteRuns([run]);
            if (jobs.OutputFile(run) is { } output) Console.Out.WriteLine($"output notebook: {output}");
            if (run.Error is { } error) Console.Out.WriteLine($"error: {error}");
            return 0;
        }));
        var cancelId = IdArgument();
        command.Subcommands.Add(ScheduleCommand.Action("cancel", "Cancel a run: a queued one at once, a running one is interrupted by its scheduler", [cancelId], async (jobs, parse, ct) =>
        {
            var run = await jobs.CancelRunAsync(parse.GetValue(cancelId), ct);
            Console.Out.WriteLine(run.State == RunState.Cancelled
                ? $"run {run.Id} cancelled"
                : $"run {run.Id} asked to stop: its scheduler interrupts the kernel and records it cancelled");
            return 0;
        }));
        return command;
    }

    private static Argument<long> IdArgument() => new("id") { Description = "The run id" };

    /// <summary><c>runs list [--schedule NAME] [--state S] [--limit N]</c>, and <c>schedule runs NAME</c> (with <paramref name="schedule"/>).</summary>
    public static Command List(string name, string description, Argument<string>? schedule)
    {
        var scheduleOption = new Option<string>("--schedule") { Description = "Only this schedule's runs", HelpName = "NAME" };
        var state = new Option<RunState?>("--state")
        {
            Description = "Only runs in this state: queued, running, succeeded, failed, cancelled, skipped", HelpName = "S",
            CustomParser = r =>
            {
                try { return RunStates.Parse(r.Tokens.Single().Value); }
                catch (FormatException e) { r.AddError(e.Message); return null; }
            },
        };
        var limit = CliOptions.AtLeast(1, "--limit", "At most this many (50)");
        Symbol[] symbols = schedule is null ? [scheduleOption, state, limit] : [schedule, state, limit];
        return ScheduleCommand.Action(name, description, symbols, async (jobs, parse, ct) =>
        {
            var query = new RunQuery
            {
                Schedule = schedule is null ? parse.GetValue(scheduleOption) : parse.GetValue(schedule), State = parse.GetValue(state), Limit = parse.GetValue(limit) ?? 50,
            };
            WriteRuns(await jobs.ListRunsAsync(query, ct));
            return 0;
        });
    }

    /// <summary>Waits for a run to end (polling the state database every half second) and prints it; 0 when it succeeded.</summary>
    public static async Task<int> WaitAsync(JobService service, long id, CancellationToken cancellationToken)
    {
        var run = await service.GetRunAsync(id, cancellationToken);
        while (!run.State.IsFinal())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            run = await service.GetRunAsync(id, cancellationToken);
        }
        WriteRuns([run]);
        if (service.OutputFile(run) is { } output) Console.Out.WriteLine($"output notebook: {output}");
        return run.State == RunState.Succeeded ? 0 : 1;
    }

    public static void WriteRuns(IReadOnlyList<RunRecord> runs)
    {
        var table = new Table().AddColumns("run", "schedule", "trigger", "state", "queued", "started", "duration", "failing cell", "parameters", "output");
        foreach (var r in runs)
        {
            var duration = r.Started is { } s && r.Ended is { } e ? $"{(e - s).TotalSeconds:0.0} s" : "";
            table.AddRow(r.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(r.ScheduleName ?? ""), r.Trigger, r.State.Name(),
                ScheduleCommand.When(r.Queued), ScheduleCommand.When(r.Started), duration, r.FailingCell?.ToString(CultureInfo.InvariantCulture) ?? "",
                Markup.Escape(r.Parameters.ToJsonString()), Markup.Escape(r.OutputPath ?? ""));
        }
        TerminalTable.Write(table);
    }
}
