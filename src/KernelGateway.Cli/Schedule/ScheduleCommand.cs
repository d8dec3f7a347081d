using System.CommandLine;
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
    public static Command Create()
    {
        var command = new Command("schedule", "Schedules: notebooks snapshotted now and run on a cron by `kernelgateway serve`'s scheduler, " +
            "each run into runs/<name>/<name>-<run id>.ipynb, never overwritten (state: <data>/state.db; KG_SCHEDULER_STORE for PostgreSQL)");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Update());
        command.Subcommands.Add(Action("list", "List the schedules", [], async (jobs, parse, ct) =>
        {
            WriteSchedules(await jobs.ListSchedulesAsync(ct));
            return 0;
        }));
        var name = NameArgument();
        command.Subcommands.Add(Action("show", "A schedule with its snapshot history, next occurrences and latest runs", [name], async (jobs, parse, ct) =>
        {
            WriteDetails(await jobs.ShowScheduleAsync(parse.GetValue(name)!, 5, ct));
            return 0;
        }));
        command.Subcommands.Add(RunsCommand.List("runs", "The runs of a schedule", NameArgument()));
        command.Subcommands.Add(RunNow());
        foreach (var (verb, what) in new[] { ("pause", "Create no runs until resumed (queued and running ones go on)"), ("resume", "Create runs again"), ("remove", "Remove a schedule (its runs and their output notebooks are kept)") })
        {
            var n = NameArgument();
            command.Subcommands.Add(Action(verb, what, [n], async (jobs, parse, ct) =>
            {
                var scheduleName = parse.GetValue(n)!;
                if (verb == "remove")
                {
                    await jobs.RemoveScheduleAsync(scheduleName, ct);
                    Console.Out.WriteLine($"schedule {scheduleName} removed (its runs and their output notebooks are kept)");
                    return 0;
                }
                var s = verb == "pause" ? await jobs.PauseAsync(scheduleName, ct) : await jobs.ResumeAsync(scheduleName, ct);
                Console.Out.WriteLine($"schedule {s.Name} {(s.Paused ? "paused" : "resumed")}");
                return 0;
            }));
        }
        return command;
    }

    /// <summary>A subcommand whose action gets the jobs library over the data directory's state database; a refusal of the library is exit code 1 with its message.</summary>
    internal static Command Action(string name, string description, Symbol[] symbols, Func<KernelGateway.Jobs.JobService, ParseResult, CancellationToken, Task<int>> action)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            if (symbol is Argument argument) command.Arguments.Add(argument);
            else command.Options.Add((Option)symbol);
        }
        command.SetAction(async (parse, ct) =>
        {
            await using var jobs = await JobsConnection.OpenAsync(ct);
            try
            {
                return await action(jobs.Service, parse, ct);
            }
            catch (JobException e)
            {
                Console.Error.WriteLine($"kernelgateway {parse.CommandResult.Command.Parents.OfType<Command>().FirstOrDefault()?.Name} {name}: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "The schedule's name" };

    private static Command Add()
    {
        var name = NameArgument();
        var notebook = new Argument<string>("notebook") { Description = "The notebook to snapshot now and run on the schedule" };
        var options = new ScheduleOptions(forUpdate: false);
        var command = Action("add", "Snapshot a notebook into the content-addressed source store and run that copy on a cron", [name, notebook], async (jobs, parse, ct) =>
        {
            var s = await jobs.AddScheduleAsync(options.Definition(parse, parse.GetValue(name)!, parse.GetValue(notebook)!), ct);
            Console.Out.WriteLine($"schedule {s.Name} added: {s.Cron} ({s.TimeZone}), source snapshot {Short(s.Snapshot)} of {s.Notebook}");
            var details = await jobs.ShowScheduleAsync(s.Name, 3, ct);
            if (details.Next.Count > 0) Console.Out.WriteLine($"next: {string.Join(", ", details.Next.Select(n => When(n)))}");
            return 0;
        });
        options.AddTo(command);
        return command;
    }

    private static Command Update()
    {
        var name = NameArgument();
        var options = new ScheduleOptions(forUpdate: true);
        // As the issue has it: an update takes a new snapshot (of --notebook, or of the path scheduled before) and keeps the history.
        var command = Action("update", "Take a new snapshot (of --notebook, or of the path scheduled before) and change what is given; the history is kept", [name], async (jobs, parse, ct) =>
        {
            var s = await jobs.UpdateScheduleAsync(parse.GetValue(name)!, options.Change(parse), ct);
            Console.Out.WriteLine($"schedule {s.Name} updated: {s.Cron} ({s.TimeZone}), source snapshot {Short(s.Snapshot)} of {s.Notebook}");
            return 0;
        });
        options.AddTo(command);
        return command;
    }

    private static Command RunNow()
    {
        var name = NameArgument();
        var parameters = new ParameterOptions();
        var wait = new Option<bool>("--wait") { Description = "Wait for the run to end and print it (exit code 0 when it succeeded)" };
        var command = Action("run-now", "Queue a run of the schedule's snapshot now, for `kernelgateway serve`'s scheduler", [name, wait], async (jobs, parse, ct) =>
        {
            var scheduleName = parse.GetValue(name)!;
            var run = await jobs.RunNowAsync(scheduleName, KernelGateway.Jobs.Execution.JobParameters.FromValues(parameters.Read(parse)), ct);
            Console.Out.WriteLine($"run {run.Id} of {scheduleName} queued; `kernelgateway serve` (its scheduler) runs it");
            return parse.GetValue(wait) ? await RunsCommand.WaitAsync(jobs, run.Id, ct) : 0;
        });
        parameters.AddTo(command);
        return command;
    }

    internal static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;

    internal static string When(DateTimeOffset? time) => time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

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
internal sealed class ScheduleOptions(bool forUpdate)
{
    private readonly Option<string> _notebook = new("--notebook") { Description = "Snapshot this notebook instead of the path scheduled before", HelpName = "PATH" };
    private readonly Option<string> _cron = new("--cron") { Description = "The cron expression: 5 fields, or 6 with seconds first", HelpName = "EXPR", Required = !forUpdate };
    private readonly Option<string> _timeZone = new("--tz", "--time-zone") { Description = "The time zone the cron is read in (IANA; UTC by default)", HelpName = "ZONE" };
    private readonly ParameterOptions _parameters = new();
    private readonly Option<string> _kernel = new("--kernel", "-k") { Description = "The kernelspec (default: the notebook's)", HelpName = "kernel" };
    private readonly Option<TimeSpan?> _timeout = CliOptions.Seconds("--timeout", "How long a run may take (no limit by default)");
    private readonly Option<MissedRunPolicy?> _missed = new("--missed")
    {
        Description = "Occurrences missed while no scheduler ran: skip, once (default) or all", HelpName = "skip|once|all",
        CustomParser = r =>
        {
            try { return MissedRunPolicies.Parse(r.Tokens.Single().Value); }
            catch (FormatException e) { r.AddError(e.Message); return null; }
        },
    };
    private readonly Option<int?> _maxConcurrency = CliOptions.AtLeast(1, "--max-concurrency", "Runs of this schedule at once (1: no overlap)");
    private readonly Option<bool> _paused = new("--paused") { Description = "Add it paused" };

    public void AddTo(Command command)
    {
        if (forUpdate) command.Options.Add(_notebook);
        foreach (var o in new Option[] { _cron, _timeZone, _kernel, _timeout, _missed, _maxConcurrency }) command.Options.Add(o);
        _parameters.AddTo(command);
        if (!forUpdate) command.Options.Add(_paused);
    }

    public ScheduleDefinition Definition(ParseResult parse, string name, string notebook) => new()
    {
        Name = name, Notebook = notebook, Cron = parse.GetValue(_cron)!, TimeZone = parse.GetValue(_timeZone) ?? "UTC",
        Parameters = KernelGateway.Jobs.Execution.JobParameters.FromValues(_parameters.Read(parse)), Kernel = parse.GetValue(_kernel), Timeout = parse.GetValue(_timeout),
        MissedRuns = parse.GetValue(_missed) ?? MissedRunPolicy.Once, MaxConcurrency = parse.GetValue(_maxConcurrency) ?? 1, Paused = parse.GetValue(_paused),
    };

    public ScheduleChange Change(ParseResult parse) => new()
    {
        TakeSnapshot = true, Notebook = parse.GetValue(_notebook), Cron = parse.GetValue(_cron), TimeZone = parse.GetValue(_timeZone),
        Parameters = _parameters.Given(parse) ? KernelGateway.Jobs.Execution.JobParameters.FromValues(_parameters.Read(parse)) : null,
        Kernel = parse.GetValue(_kernel), Timeout = parse.GetValue(_timeout), MissedRuns = parse.GetValue(_missed), MaxConcurrency = parse.GetValue(_maxConcurrency),
    };
}
