using System.Globalization;
using KernelGateway.Cli.Run;
using KernelGateway.Jobs;
using KernelGateway.Jobs.Model;
using Spectre.Console;

namespace KernelGateway.Cli.Schedule;

/// <summary><c>kernelgateway runs list|show|cancel</c>: the run records of the data directory's state database.</summary>
internal static class RunsCommand
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        if (args.Length == 0) throw new UsageException("runs needs a subcommand: list, show or cancel");
        await using var jobs = await JobsConnection.OpenAsync(cancellationToken);
        try
        {
            switch (args[0])
            {
                case "list":
                    return await ListAsync(jobs.Service, args[1..], null, cancellationToken);
                case "show":
                {
                    var run = await jobs.Service.GetRunAsync(Id(args), cancellationToken);
                    WriteRuns([run]);
                    if (jobs.Service.OutputFile(run) is { } output) Console.Out.WriteLine($"output notebook: {output}");
                    if (run.Error is { } error) Console.Out.WriteLine($"error: {error}");
                    return 0;
                }
                case "cancel":
                {
                    var run = await jobs.Service.CancelRunAsync(Id(args), cancellationToken);
                    Console.Out.WriteLine(run.State == RunState.Cancelled
                        ? $"run {run.Id} cancelled"
                        : $"run {run.Id} asked to stop: its scheduler interrupts the kernel and records it cancelled");
                    return 0;
                }
                default:
                    throw new UsageException($"runs: unknown subcommand '{args[0]}'");
            }
        }
        catch (JobException e)
        {
            Console.Error.WriteLine($"kernelgateway runs {args[0]}: {e.Message}");
            return 1;
        }
    }

    /// <summary><c>runs list [--schedule NAME] [--state S] [--limit N]</c>, and <c>schedule runs NAME</c>.</summary>
    public static async Task<int> ListAsync(JobService service, string[] args, string? schedule, CancellationToken cancellationToken)
    {
        var query = new RunQuery { Schedule = schedule, Limit = 50 };
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--schedule" when schedule is null: query = query with { Schedule = Next() }; break;
                case "--state":
                    var s = Next();
                    try { query = query with { State = RunStates.Parse(s) }; }
                    catch (FormatException e) { throw new UsageException(e.Message); }
                    break;
                case "--limit":
                    var l = Next();
                    query = query with { Limit = int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new UsageException($"--limit needs a positive number, not '{l}'") };
                    break;
                default: throw new UsageException($"unexpected '{args[i]}'");
            }
        }
        WriteRuns(await service.ListRunsAsync(query, cancellationToken));
        return 0;
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

    private static long Id(string[] args) =>
        args.Length == 2 && long.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw new UsageException($"usage: runs {args[0]} <run id>");
}
