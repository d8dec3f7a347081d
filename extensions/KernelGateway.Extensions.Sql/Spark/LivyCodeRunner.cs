using System.Globalization;
using System.Text.Json.Nodes;
using KernelGateway.Formatting.Tabular;
using KernelGateway.Kernel.Engine;
using KernelGateway.Platform.Spark.Livy;
using KernelGateway.Platform.Sql;
using Microsoft.Data.Analysis;

namespace KernelGateway.Extensions.Sql.Spark;

/// <summary>
/// Scala, Python, R or SQL over Livy, in the kernel's session of that name on the connection (created on first use
/// and waited for, with the wait shown). The statement's progress and the Spark UI link are shown while it runs;
/// its output becomes Jupyter outputs: text as stdout, a table (<c>%table</c> or a <c>sql</c> result) as the tabular
/// bundle with Livy's row cap said out loud, an image as <c>image/png</c>, JSON as <c>application/json</c>, an error
/// with its name, value and traceback. An interrupt cancels the statement on the server and says so.
/// </summary>
internal sealed class LivyCodeRunner(LivyConnections livy)
{
    /// <summary>Livy's default <c>livy.rsc.sql.num-rows</c>: a sql statement returns at most this many rows.</summary>
    internal const int LivySqlRowCap = 1000;

    public async Task<ExecutionOutcome> RunAsync(string code, SparkRun run, CancellationToken cancellationToken)
    {
        if (run.Language == SparkLanguages.Sql && SqlText.RewriteSparkParameters(code).Names.Count > 0)
            return SparkMagic.Usage($"Livy's SQL interpreter cannot bind parameters, and values are never spliced into SQL: run this on a Spark Connect connection (kind spark), or write the values in the query");
        var entry = livy.Get(run.Spec);
        var kind = SparkLanguages.LivyKind(run.Language);
        var session = await StartAsync(entry, run, kind, cancellationToken).ConfigureAwait(false);
        var latest = new LatestProgress(session.AppInfo?.GetValueOrDefault("sparkUiUrl"));
        using var progress = new ProgressDisplay(run.Sink, () => View(latest.Value, latest.Link, session.Id));
        try
        {
            var result = await entry.Client.RunStatementAsync(session.Id, code, kind, latest, cancellationToken).ConfigureAwait(false);
            progress.Finish(View(latest.Value with { State = "available" }, latest.Link, session.Id, 1));
            return await ShowAsync(result, run, cancellationToken).ConfigureAwait(false);
        }
        catch (LivyStatementCancelledException e)
        {
            progress.Finish(View(latest.Value with { State = "cancelled" }, latest.Link, session.Id));
            var message = e.ConfirmedByServer
                ? $"Interrupted: statement {e.StatementId} of Livy session {e.SessionId} was cancelled on the Livy server ({run.Spec.Name})."
                : $"Interrupted: statement {e.StatementId} of Livy session {e.SessionId} was stopped; the Livy server ({run.Spec.Name}) said '{e.FinalState ?? "nothing"}'.";
            return ExecutionOutcome.Failed(nameof(OperationCanceledException), message, [$"OperationCanceledException: {message}"]);
        }
        catch (LivyStatementException e)
        {
            progress.Finish(View(latest.Value with { State = "error" }, latest.Link, session.Id));
            var traceback = new List<string> { $"{e.EName}: {e.EValue}" };
            traceback.AddRange(e.Traceback.Select(t => t.TrimEnd('\n')));
            return ExecutionOutcome.Failed(e.EName, e.EValue, traceback);
        }
    }

    /// <summary>The kernel's session of the run's name, created and waited for on first use (the wait shown as progress).</summary>
    private static async Task<LivySession> StartAsync(LivyConnections.Entry entry, SparkRun run, string kind, CancellationToken cancellationToken)
    {
        if (entry.Sessions.Sessions.TryGetValue(run.Session, out var known) && !LivySessionStates.IsFinal(known.State))
            return known;
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var waiting = new ProgressDisplay(run.Sink, () => new ProgressView
        {
            Title = $"Livy session '{run.Session}' on {run.Spec.Name}",
            State = "starting",
            Details = [new("elapsed", $"{started.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s")],
        });
        var session = await entry.Sessions.GetOrCreateAsync(run.Session, kind == LivyKinds.Sql ? null : kind, null, cancellationToken).ConfigureAwait(false);
        waiting.Finish(new ProgressView
        {
            Title = $"Livy session '{run.Session}' (id {session.Id}) on {run.Spec.Name}",
            State = session.State,
            Fraction = 1,
            Details = [new("started in", $"{started.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s")],
            Link = Link(session.AppInfo?.GetValueOrDefault("sparkUiUrl")),
            LinkText = "Spark UI",
        });
        return session;
    }

    private static async Task<ExecutionOutcome> ShowAsync(LivyStatementResult result, SparkRun run, CancellationToken cancellationToken)
    {
        if (result.Table is { } table)
        {
            if (!string.IsNullOrEmpty(result.Text)) run.Sink.Stream("stdout", Line(result.Text));
            var fields = table.Columns.Select(c => new TableField(c.Name, TableSchemaTypes.For(c.ClrType), c.ClrType, c.EngineType)).ToList();
            var capped = run.Language == SparkLanguages.Sql && table.Rows.Count == LivySqlRowCap;
            if (capped)
                run.Sink.Stream("stderr", $"Livy returned {LivySqlRowCap:N0} rows, the most its SQL interpreter sends (livy.rsc.sql.num-rows): the result may have more. Use a Spark Connect connection for whole results.\n");
            if (run.Out is { } name)
            {
                var frame = DataFrame.LoadFrom(table.Rows.Select(r => (IList<object>)r!), table.Columns.Select(c => (c.Name, Nullable.GetUnderlyingType(c.ClrType) ?? c.ClrType)).ToList());
                await run.Variables!.SetVariableAsync(name, frame, typeof(DataFrame), cancellationToken).ConfigureAwait(false);
            }
            var shown = table.Rows.Take(run.Limits.DataResourceRows).ToList();
            run.Sink.Display(TabularBundles.From(TabularResult.FromFields(fields, shown, hasMoreRows: capped || shown.Count < table.Rows.Count, totalRows: capped ? null : table.Rows.Count), run.Limits), null, update: false);
            return ExecutionOutcome.Ok();
        }
        if (run.Out is not null) return SparkMagic.Usage("--out needs a table: this statement's output has none");
        if (result.PngBase64 is { } png)
            run.Sink.Display(new MimeBundle(new JsonObject { ["image/png"] = png, ["text/plain"] = "<image>" }, new JsonObject()), null, update: false);
        if (result.Json is { } json)
            run.Sink.Display(new MimeBundle(new JsonObject { ["application/json"] = JsonNode.Parse(json.GetRawText()), ["text/plain"] = json.ToString() }, new JsonObject()), null, update: false);
        if (!string.IsNullOrEmpty(result.Text) && result.PngBase64 is null) run.Sink.Stream("stdout", Line(result.Text));
        return ExecutionOutcome.Ok();
    }

    private static string Line(string text) => text.EndsWith('\n') ? text : text + "\n";

    private static Uri? Link(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;

    private static ProgressView View(QueryProgress p, string? link, int sessionId, double? fraction = null) => new()
    {
        Title = $"Livy statement in session {sessionId}",
        State = p.State,
        Fraction = fraction ?? p.Fraction,
        Details = [new("elapsed", $"{p.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s")],
        Link = Link(link),
        LinkText = "Spark UI",
    };

    /// <summary>The statement's latest progress, read by the display's timer.</summary>
    private sealed class LatestProgress(string? link) : IProgress<QueryProgress>
    {
        private QueryProgress _value = new() { Engine = "livy", State = "waiting" };
        public QueryProgress Value => Volatile.Read(ref _value);
        public string? Link => link;
        public void Report(QueryProgress value) => Volatile.Write(ref _value, value);
    }
}
