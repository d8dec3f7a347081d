using System.Globalization;
using KernelGateway.Cli.Run;
using KernelGateway.Jobs.Model;
using Spectre.Console;

namespace KernelGateway.Cli.Schedule;

/// <summary>
/// <c>kernelgateway schedule add|update|list|show|runs|run-now|pause|resume|remove</c>: schedules in the data
/// directory's state database, run by <c>kernelgateway serve</c>'s scheduler (one subcommand, one method of
/// <see cref="KernelGateway.Jobs.JobService"/>).
/// </summary>
internal static class ScheduleCommand
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        if (args.Length == 0) throw new UsageException("schedule needs a subcommand: add, update, list, show, runs, run-now, pause, resume or remove");
        await using var jobs = await JobsConnection.OpenAsync(cancellationToken);
        var service = jobs.Service;
        try
        {
            switch (args[0])
            {
                case "add":
                {
                    var (name, rest) = Name(args, "add <name> <notebook> --cron EXPR");
                    if (rest.Length == 0 || rest[0].StartsWith('-')) throw new UsageException("schedule add needs a notebook after the name");
                    var o = ScheduleOptions.Parse(rest[1..], forUpdate: false);
                    var s = await service.AddScheduleAsync(new ScheduleDefinition
                    {
                        Name = name, Notebook = rest[0], Cron = o.Cron ?? throw new UsageException("schedule add needs --cron \"EXPR\""),
                        TimeZone = o.TimeZone ?? "UTC", Parameters = o.Parameters.ToJson(), Kernel = o.Kernel, Timeout = o.Timeout,
                        MissedRuns = o.MissedRuns ?? MissedRunPolicy.Once, MaxConcurrency = o.MaxConcurrency ?? 1, Paused = o.Paused ?? false,
                    }, cancellationToken);
                    Console.Out.WriteLine($"schedule {s.Name} added: {s.Cron} ({s.TimeZone}), source snapshot {Short(s.Snapshot)} of {s.Notebook}");
                    await PrintNextAsync(service, s.Name, cancellationToken);
                    return 0;
                }
                case "update":
                {
                    var (name, rest) = Name(args, "update <name> [--notebook PATH] [--cron EXPR] ...");
                    var o = ScheduleOptions.Parse(rest, forUpdate: true);
                    // As the issue has it: an update takes a new snapshot (of --notebook, or of the path scheduled before) and keeps the history.
                    var s = await service.UpdateScheduleAsync(name, new ScheduleChange
                    {
                        TakeSnapshot = true, Notebook = o.Notebook, Cron = o.Cron, TimeZone = o.TimeZone, Parameters = o.Parameters.Any ? o.Parameters.ToJson() : null,
                        Kernel = o.Kernel, Timeout = o.Timeout, MissedRuns = o.MissedRuns, MaxConcurrency = o.MaxConcurrency, Paused = o.Paused,
                    }, cancellationToken);
                    Console.Out.WriteLine($"schedule {s.Name} updated: {s.Cron} ({s.TimeZone}), source snapshot {Short(s.Snapshot)} of {s.Notebook}");
                    return 0;
                }
                case "list":
                    NoMore(args, 1);
                    WriteSchedules(await service.ListSchedulesAsync(cancellationToken));
                    return 0;
                case "show":
                {
                    var (name, rest) = Name(args, "show <name>");
                    NoMore(rest, 0);
                    WriteDetails(await service.ShowScheduleAsync(name, 5, cancellationToken));
                    return 0;
                }
                case "runs":
                {
                    var (name, rest) = Name(args, "runs <name> [--state S] [--limit N]");
                    return await RunsCommand.ListAsync(service, rest, name, cancellationToken);
                }
                case "run-now":
                {
                    var (name, rest) = Name(args, "run-now <name> [-p name value]... [--wait]");
                    var parameters = new ParameterArguments();
                    var wait = false;
                    for (var i = 0; i < rest.Length; i++)
                    {
                        if (parameters.TryTake(rest, ref i)) continue;
                        if (rest[i] == "--wait") wait = true;
                        else throw new UsageException($"schedule run-now: unexpected '{rest[i]}'");
                    }
                    var run = await service.RunNowAsync(name, parameters.ToJson(), cancellationToken);
                    Console.Out.WriteLine($"run {run.Id} of {name} queued; `kernelgateway serve` (its scheduler) runs it");
                    return wait ? await RunsCommand.WaitAsync(service, run.Id, cancellationToken) : 0;
                }
                case "pause" or "resume" or "remove":
                {
                    var (name, rest) = Name(args, $"{args[0]} <name>");
                    NoMore(rest, 0);
                    if (args[0] == "remove")
                    {
                        await service.RemoveScheduleAsync(name, cancellationToken);
                        Console.Out.WriteLine($"schedule {name} removed (its runs and their output notebooks are kept)");
                    }
                    else
                    {
                        var s = args[0] == "pause" ? await service.PauseAsync(name, cancellationToken) : await service.ResumeAsync(name, cancellationToken);
                        Console.Out.WriteLine($"schedule {s.Name} {(s.Paused ? "paused" : "resumed")}");
                    }
                    return 0;
                }
                default:
                    throw new UsageException($"schedule: unknown subcommand '{args[0]}'");
            }
        }
        catch (JobException e)
        {
            Console.Error.WriteLine($"kernelgateway schedule {args[0]}: {e.Message}");
            return 1;
        }
    }

    private static (string Name, string[] Others) Name(string[] args, string usage) =>
        args.Length > 1 && !args[1].StartsWith('-') ? (args[1], args[2..]) : throw new UsageException($"usage: schedule {usage}");

    private static void NoMore(string[] args, int from)
    {
        if (args.Length > from) throw new UsageException($"unexpected '{args[from]}'");
    }

    internal static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;

    internal static string When(DateTimeOffset? time) => time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    private static async Task PrintNextAsync(KernelGateway.Jobs.JobService service, string name, CancellationToken cancellationToken)
    {
        var details = await service.ShowScheduleAsync(name, 3, cancellationToken);
        if (details.Next.Count > 0) Console.Out.WriteLine($"next: {string.Join(", ", details.Next.Select(n => When(n)))}");
    }

    private static void WriteSchedules(IReadOnlyList<KernelGateway.Jobs.Model.Schedule> schedules)
    {
        var table = new Table().AddColumns("name", "cron", "time zone", "notebook", "snapshot", "parameters", "kernel", "state");
        foreach (var s in schedules)
            table.AddRow(Markup.Escape(s.Name), Markup.Escape(s.Cron), Markup.Escape(s.TimeZone), Markup.Escape(s.Notebook), Short(s.Snapshot),
                Markup.Escape(s.Parameters.ToJsonString()), Markup.Escape(s.Kernel ?? ""), s.Paused ? "paused" : "active");
        TerminalTable.Write(table);
    }

    private static void WriteDetails(ScheduleDetails d)
    {
        var s = d.Schedule;
        var table = new Table().AddColumns("", "").HideHeaders();
        void Row(string k, string v) => table.AddRow(k, Markup.Escape(v));
        Row("name", s.Name);
        Row("state", s.Paused ? "paused" : "active");
        Row("cron", $"{s.Cron} ({s.TimeZone})");
        Row("notebook", s.Notebook);
        Row("snapshot", s.Snapshot);
        Row("parameters", s.Parameters.ToJsonString());
        Row("kernel", s.Kernel ?? "(the notebook's)");
        Row("timeout", s.Timeout is { } t ? $"{t.TotalSeconds:0} s" : "none");
        Row("missed runs", s.MissedRuns.Name());
        Row("max concurrency", s.MaxConcurrency.ToString(CultureInfo.InvariantCulture));
        Row("next", string.Join(", ", d.Next.Select(n => When(n))));
        Row("snapshots", string.Join("\n", d.Snapshots.Select(x => $"{When(x.Taken)} {Short(x.Snapshot)} {x.Notebook}")));
        TerminalTable.Write(table);
        if (d.RecentRuns.Count > 0) RunsCommand.WriteRuns(d.RecentRuns);
    }
}

/// <summary>The options of <c>schedule add</c> and <c>schedule update</c>.</summary>
internal sealed record ScheduleOptions
{
    public string? Notebook { get; init; }
    public string? Cron { get; init; }
    public string? TimeZone { get; init; }
    public string? Kernel { get; init; }
    public TimeSpan? Timeout { get; init; }
    public MissedRunPolicy? MissedRuns { get; init; }
    public int? MaxConcurrency { get; init; }
    public bool? Paused { get; init; }
    public ParameterArguments Parameters { get; init; } = new();

    public static ScheduleOptions Parse(string[] args, bool forUpdate)
    {
        var o = new ScheduleOptions();
        for (var i = 0; i < args.Length; i++)
        {
            if (o.Parameters.TryTake(args, ref i)) continue;
            string Next() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--notebook" when forUpdate: o = o with { Notebook = Next() }; break;
                case "--cron": o = o with { Cron = Next() }; break;
                case "--tz" or "--time-zone": o = o with { TimeZone = Next() }; break;
                case "-k" or "--kernel": o = o with { Kernel = Next() }; break;
                case "--timeout":
                    var t = Next();
                    o = o with { Timeout = double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && double.IsFinite(s) ? TimeSpan.FromSeconds(s) : throw new UsageException($"--timeout needs a positive number of seconds, not '{t}'") };
                    break;
                case "--missed":
                    var m = Next();
                    try { o = o with { MissedRuns = MissedRunPolicies.Parse(m) }; }
                    catch (FormatException e) { throw new UsageException(e.Message); }
                    break;
                case "--max-concurrency":
                    var c = Next();
                    o = o with { MaxConcurrency = int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new UsageException($"--max-concurrency needs a positive number, not '{c}'") };
                    break;
                case "--paused" when !forUpdate: o = o with { Paused = true }; break;
                default: throw new UsageException($"schedule: unexpected '{args[i]}'");
            }
        }
        return o;
    }
}
