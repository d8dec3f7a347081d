using System.Globalization;
using System.Text;
using KernelGateway.Formatting.Tabular;
using KernelGateway.Kernel.Engine;
using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Platform.Spark.Livy;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Extensions.Sql.Spark;

/// <summary>
/// <c>%spark</c>'s subcommands: <c>info</c> (the Spark and Livy connections, this kernel's sessions, Spark's
/// version), <c>sessions</c> (a Livy server's sessions), <c>logs [session]</c>, <c>delete [session]</c>,
/// <c>config</c> (Spark Connect session configuration: list, get, set, unset) and <c>submit</c> (a Livy batch, its
/// state and log streamed until it ends; an interrupt kills it).
/// </summary>
internal sealed class SparkCommands(ConnectionRegistry registry, SparkConnections spark, LivyConnections livy)
{
    private static readonly TimeSpan InfoTimeout = TimeSpan.FromSeconds(10);

    public Task<ExecutionOutcome> RunAsync(SparkCommand command, IExecutionSink sink, CancellationToken cancellationToken) => command.Verb switch
    {
        "info" => InfoAsync(command, sink, cancellationToken),
        "sessions" => SessionsAsync(command, sink, cancellationToken),
        "logs" => LogsAsync(command, sink, cancellationToken),
        "delete" => DeleteAsync(command, sink, cancellationToken),
        "config" => ConfigAsync(command, sink, cancellationToken),
        _ => SubmitAsync(command, sink, cancellationToken),
    };

    private async Task<ExecutionOutcome> InfoAsync(SparkCommand command, IExecutionSink sink, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var specs = registry.All.Where(c => c.Kind is ConnectionKinds.Spark or ConnectionKinds.Livy)
            .Where(c => command.Connection is null || string.Equals(c.Name, command.Connection, StringComparison.OrdinalIgnoreCase)).ToList();
        if (specs.Count == 0) text.Append("No Spark or Livy connection. Add one with %connect name kind=spark connection_string=\"sc://host:15002/\" (or kind=livy).\n");
        foreach (var spec in specs)
        {
            text.Append(spec).Append('\n');
            if (spec.Kind == ConnectionKinds.Spark) await SparkInfoAsync(spec, text, cancellationToken).ConfigureAwait(false);
            else LivyInfo(spec, text);
        }
        foreach (var problem in registry.Problems.Where(p => p.Message.Contains("spark", StringComparison.OrdinalIgnoreCase) || p.Message.Contains("livy", StringComparison.OrdinalIgnoreCase)))
            text.Append("Cannot be used: ").Append(problem).Append('\n');
        sink.Stream("stdout", text.ToString());
        return ExecutionOutcome.Ok();
    }

    private async Task SparkInfoAsync(ConnectionSpec spec, StringBuilder text, CancellationToken cancellationToken)
    {
        var client = spark.Get(spec);
        text.Append("  session ").Append(client.SessionId).Append('\n');
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(InfoTimeout);
            text.Append("  Spark ").Append(await client.VersionAsync(timeout.Token).ConfigureAwait(false)).Append('\n');
        }
        catch (Exception e) when (e is SparkConnectException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            text.Append("  not reachable: ").Append(e.Message.Split('\n')[0]).Append('\n');
        }
    }

    private void LivyInfo(ConnectionSpec spec, StringBuilder text)
    {
        var sessions = livy.Get(spec).Sessions.Sessions;
        if (sessions.Count == 0) text.Append("  no session of this kernel yet (%%spark --lang scala|python starts one)\n");
        foreach (var (name, s) in sessions)
        {
            text.Append(CultureInfo.InvariantCulture, $"  session '{name}': id {s.Id}, {s.State}, kind {s.Kind ?? "shared"}");
            if (s.AppId is { } app) text.Append(", application ").Append(app);
            if (s.AppInfo?.GetValueOrDefault("sparkUiUrl") is { } ui) text.Append(", Spark UI ").Append(ui);
            text.Append('\n');
        }
    }

    private async Task<ExecutionOutcome> SessionsAsync(SparkCommand command, IExecutionSink sink, CancellationToken cancellationToken)
    {
        var entry = LivyEntry(command);
        var page = await entry.Client.ListSessionsAsync(0, 1000, cancellationToken).ConfigureAwait(false);
        var mine = entry.Sessions.Sessions.Values.Select(s => s.Id).ToHashSet();
        var rows = page.Items.Select(s => new object?[] { s.Id, s.Name, s.State, s.Kind, s.Owner, s.AppId, mine.Contains(s.Id) }).ToList();
        var table = TabularResult.FromRows([("id", typeof(int)), ("name", typeof(string)), ("state", typeof(string)), ("kind", typeof(string)), ("owner", typeof(string)), ("app_id", typeof(string)), ("this_kernel", typeof(bool))], rows);
        sink.Display(TabularBundles.From(table), null, update: false);
        return ExecutionOutcome.Ok();
    }

    private async Task<ExecutionOutcome> LogsAsync(SparkCommand command, IExecutionSink sink, CancellationToken cancellationToken)
    {
        var entry = LivyEntry(command);
        var name = command.Operands.FirstOrDefault() ?? SparkMagic.DefaultSession;
        if (!entry.Sessions.Sessions.TryGetValue(name, out var session))
            return SparkMagic.Usage($"this kernel has no Livy session '{name}' on {entry.Spec.Name} (sessions: {string.Join(", ", entry.Sessions.Sessions.Keys.DefaultIfEmpty("none"))})");
        var log = await entry.Client.GetSessionLogAsync(session.Id, null, null, cancellationToken).ConfigureAwait(false);
        sink.Stream("stdout", string.Join('\n', log.Lines) + "\n");
        return ExecutionOutcome.Ok();
    }

    private async Task<ExecutionOutcome> DeleteAsync(SparkCommand command, IExecutionSink sink, CancellationToken cancellationToken)
    {
        var entry = LivyEntry(command);
        var name = command.Operands.FirstOrDefault() ?? SparkMagic.DefaultSession;
        var deleted = await entry.Sessions.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        if (!deleted) return SparkMagic.Usage($"this kernel has no Livy session '{name}' on {entry.Spec.Name}");
        sink.Stream("stdout", $"Deleted Livy session '{name}' on {entry.Spec.Name}.\n");
        return ExecutionOutcome.Ok();
    }

    private async Task<ExecutionOutcome> ConfigAsync(SparkCommand command, IExecutionSink sink, CancellationToken cancellationToken)
    {
        var client = command.Connection is { } name ? spark[name] : spark.Default;
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        var keys = new List<string>();
        foreach (var operand in command.Operands)
        {
            if (operand.Contains('=')) SparkCommand.AddPair(pairs, operand, "config");
            else keys.Add(operand);
        }
        if (pairs.Count > 0) await client.SetConfigAsync(pairs, cancellationToken).ConfigureAwait(false);
        if (command.Unset.Count > 0) await client.UnsetConfigAsync(command.Unset, cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<string, string?> shown = keys.Count > 0
            ? await client.GetConfigAsync(keys, cancellationToken).ConfigureAwait(false)
            : pairs.Count == 0 && command.Unset.Count == 0
                ? await client.GetAllConfigAsync(null, cancellationToken).ConfigureAwait(false)
                : await client.GetConfigAsync(pairs.Keys.Concat(command.Unset), cancellationToken).ConfigureAwait(false);
        var table = TabularResult.FromRows([("key", typeof(string)), ("value", typeof(string))], shown.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new object?[] { p.Key, p.Value }));
        sink.Display(TabularBundles.From(table), null, update: false);
        return ExecutionOutcome.Ok();
    }

    private async Task<ExecutionOutcome> SubmitAsync(SparkCommand command, IExecutionSink sink, CancellationToken cancellationToken)
    {
        var entry = LivyEntry(command);
        var request = new LivyBatchRequest
        {
            File = command.Operands[0],
            ClassName = command.ClassName,
            Args = command.Operands.Skip(1).ToList(),
            Name = command.Name,
            Conf = command.Conf.Count == 0 ? null : command.Conf,
        };
        var batch = await entry.Client.SubmitBatchAsync(request, cancellationToken).ConfigureAwait(false);
        sink.Stream("stdout", $"Livy batch {batch.Id} submitted to {entry.Spec.Name}: {batch.State}\n");
        var state = batch.State;
        try
        {
            await foreach (var e in entry.Client.FollowBatchAsync(batch.Id, cancellationToken).ConfigureAwait(false))
            {
                if (e.IsStateChange)
                {
                    state = e.State;
                    sink.Stream("stdout", $"[batch {batch.Id}] state: {e.State}\n");
                }
                else sink.Stream("stdout", e.Line + "\n");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var message = $"Interrupted: Livy batch {batch.Id} was killed on the Livy server ({entry.Spec.Name}).";
            return ExecutionOutcome.Failed(nameof(OperationCanceledException), message, [$"OperationCanceledException: {message}"]);
        }
        if (state == "success") return ExecutionOutcome.Ok();
        var failure = $"Livy batch {batch.Id} ended {state}";
        return ExecutionOutcome.Failed("SparkJobFailed", failure, [$"SparkJobFailed: {failure}"]);
    }

    private LivyConnections.Entry LivyEntry(SparkCommand command) => command.Connection is { } name ? livy[name] : livy.Default;
}
