using System.Globalization;
using KernelGateway.Formatting.Tabular;
using KernelGateway.Kernel.Engine;
using KernelGateway.Platform.Sql;
using KernelGateway.Platform.Trino;
using Microsoft.Data.Analysis;

namespace KernelGateway.Extensions.Sql;

/// <summary>
/// Statements on Trino and Presto, on the connection's one client (its session carries <c>USE</c>, <c>SET SESSION</c>
/// and transactions from cell to cell). While a query runs, a progress display updates in place; the result's first
/// rows are shown as soon as they have arrived, the rest is read through without being kept (memory stays bounded)
/// to count it, and the table then says the total. An interrupt cancels the query on the server and says so.
/// </summary>
internal sealed class TrinoStatementRunner(TrinoConnections trino) : IStatementRunner
{
    public async Task<ExecutionOutcome> RunAsync(string statement, SqlRun run, bool last, CancellationToken cancellationToken)
    {
        var (_, occurrences) = SqlText.ToPositional(statement);
        var parameters = occurrences.Count == 0 ? null : run.Bind(occurrences.Distinct(), '@');
        var client = trino.Get(run.Spec);
        await using var query = client.Submit(statement, parameters, null, cancellationToken);
        using var progress = new ProgressDisplay(run.Sink, () => View(query.Progress));
        try
        {
            var columns = await query.GetColumnsAsync(cancellationToken).ConfigureAwait(false);
            if (!last || columns.Count == 0)
            {
                await query.CountRowsAsync(cancellationToken).ConfigureAwait(false);
                if (last && query.UpdateType is { } update)
                    run.Sink.Stream("stdout", update + (query.UpdateCount is { } n ? $": {n.ToString("N0", CultureInfo.InvariantCulture)} row{(n == 1 ? "" : "s")}" : "") + "\n");
            }
            else if (run.Out is { } name)
            {
                var frame = await KernelGateway.Platform.Warehouse.ArrowFrames.LoadAsync(query.ReadArrowAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
                await run.Variables!.SetVariableAsync(name, frame, typeof(DataFrame), cancellationToken).ConfigureAwait(false);
                run.Sink.Display(TabularBundles.From(DataFrames.Preview(frame, run.Limits), run.Limits), null, update: false);
            }
            else
            {
                await ShowAsync(query, run, cancellationToken).ConfigureAwait(false);
            }
            progress.Finish(View(query.Progress, "FINISHED"));
            return ExecutionOutcome.Ok();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await query.CancelAsync().ConfigureAwait(false);
            progress.Finish(View(query.Progress, "CANCELLED"));
            var what = query.Id is { } id ? $"query {id}" : "the query";
            var message = query.CancelledOnServer
                ? $"Interrupted: {what} was cancelled on the {run.Spec.Kind} server ({run.Spec.Name})."
                : $"Interrupted: {what} was stopped; the {run.Spec.Kind} server ({run.Spec.Name}) did not confirm the cancellation.";
            return ExecutionOutcome.Failed(nameof(OperationCanceledException), message, [$"OperationCanceledException: {message}"]);
        }
        catch
        {
            progress.Finish(View(query.Progress, "FAILED"));
            throw;
        }
    }

    /// <summary>Shows the first rows as soon as the display's worth has arrived, counts the rest without decoding it, then says the total.</summary>
    private static async Task ShowAsync(TrinoQuery query, SqlRun run, CancellationToken cancellationToken)
    {
        var max = run.Limits.DataResourceRows;
        var rows = new List<object?[]>();
        await foreach (var page in query.ReadPagesAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.AddRange(page.Rows.Take(max - rows.Count));
            if (rows.Count == max) break;
        }
        var fields = Fields(await query.GetColumnsAsync(cancellationToken).ConfigureAwait(false));
        string? tableId = null;
        // Reading stopped at the display's worth: show it now, then count the rest (which may take a while).
        if (rows.Count == max && !(query.Completion.IsCompletedSuccessfully && query.RowsReceived == max))
        {
            tableId = "table-" + Guid.NewGuid().ToString("N");
            run.Sink.Display(TabularBundles.From(TabularResult.FromFields(fields, rows, hasMoreRows: true, totalRows: null), run.Limits), tableId, update: false);
        }
        var total = await query.CountRowsAsync(cancellationToken).ConfigureAwait(false);
        run.Sink.Display(TabularBundles.From(TabularResult.FromFields(fields, rows, hasMoreRows: false, totalRows: total), run.Limits), tableId, update: tableId is not null);
    }

    internal static IReadOnlyList<TableField> Fields(IReadOnlyList<TrinoColumn> columns) =>
        columns.Select(c => new TableField(c.Name, c.Type.TableSchemaType, c.Type.ClrType, c.Type.DisplayName)).ToList();

    /// <summary>What the progress display shows of a query.</summary>
    internal static ProgressView View(QueryProgress p, string? state = null)
    {
        var details = new List<KeyValuePair<string, string>>();
        if (p.Total is { } total) details.Add(new(p.Unit, $"{p.Done ?? 0}/{total}"));
        if (p.Rows is > 0 || p.Bytes is > 0) details.Add(new("read", $"{Count(p.Rows ?? 0)} rows, {Units.Bytes(p.Bytes ?? 0)}"));
        if (p.ResultRows is > 0) details.Add(new("result", $"{(p.ResultRows ?? 0).ToString("N0", CultureInfo.InvariantCulture)} rows"));
        if (p.PeakMemoryBytes is > 0) details.Add(new("peak memory", Units.Bytes(p.PeakMemoryBytes.Value)));
        details.Add(new("elapsed", $"{p.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"));
        var engine = p.Engine == "presto" ? "Presto" : "Trino";
        return new ProgressView
        {
            Title = p.QueryId is { } id ? $"{engine} query {id}" : $"{engine} query",
            State = state ?? p.State,
            Fraction = state == "FINISHED" ? 1 : p.Fraction,
            Details = details,
            Link = p.InfoUri,
            LinkText = $"{engine} UI",
        };
    }

    private static string Count(long n) => n switch
    {
        >= 1_000_000_000 => (n / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + "B",
        >= 1_000_000 => (n / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 10_000 => (n / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "K",
        _ => n.ToString("N0", CultureInfo.InvariantCulture),
    };
}
