using System.Globalization;
using Apache.Arrow;
using KernelGateway.Formatting.Tabular;
using KernelGateway.Kernel.Engine;
using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Platform.Sql;
using KernelGateway.Platform.Warehouse;
using Microsoft.Data.Analysis;

namespace KernelGateway.Extensions.Sql.Spark;

/// <summary>
/// SQL over Spark Connect, one statement at a time on the connection's one session. <c>@name</c>, <c>$name</c> and
/// <c>:name</c> are bound as Spark named arguments (typed literals), never spliced. While the query runs, a progress
/// display shows Spark's tasks and bytes; the first rows are shown as soon as they have arrived (only they are
/// converted), the rest of the result is counted without being kept, and the table then says the total. An
/// interrupt cancels the operation on the server (<c>Interrupt</c> by operation id) and says whether it was confirmed.
/// </summary>
internal sealed class SparkSqlRunner(SparkConnections spark)
{
    public async Task<ExecutionOutcome> RunAsync(string statement, SparkRun run, bool last, CancellationToken cancellationToken)
    {
        var (text, names) = SqlText.RewriteSparkParameters(statement);
        var parameters = names.Count == 0 ? null : run.Bind(names);
        var client = spark.Get(run.Spec);
        await using var execution = client.Execute(text, parameters, null, cancellationToken);
        using var progress = new ProgressDisplay(run.Sink, () => View(execution.Progress));
        try
        {
            if (!last) await execution.CountRowsAsync(cancellationToken).ConfigureAwait(false);
            else if (run.Out is { } name)
            {
                var frame = await ArrowFrames.LoadAsync(execution.ReadBatchesAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
                await run.Variables!.SetVariableAsync(name, frame, typeof(DataFrame), cancellationToken).ConfigureAwait(false);
                run.Sink.Display(TabularBundles.From(DataFrames.Preview(frame, run.Limits), run.Limits), null, update: false);
            }
            else await ShowAsync(execution, run, cancellationToken).ConfigureAwait(false);
            progress.Finish(View(execution.Progress, "FINISHED"));
            return ExecutionOutcome.Ok();
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested || e is SparkOperationCanceledException)
        {
            await execution.CancelAsync().ConfigureAwait(false);
            progress.Finish(View(execution.Progress, "CANCELLED"));
            var message = execution.CancelledOnServer
                ? $"Interrupted: operation {execution.OperationId} was cancelled on the Spark server ({run.Spec.Name})."
                : $"Interrupted: operation {execution.OperationId} was stopped; the Spark server ({run.Spec.Name}) did not confirm the cancellation.";
            return ExecutionOutcome.Failed(nameof(OperationCanceledException), message, [$"OperationCanceledException: {message}"]);
        }
        catch
        {
            progress.Finish(View(execution.Progress, "FAILED"));
            throw;
        }
    }

    /// <summary>Shows the first rows as soon as the display's worth has arrived, counts the rest, then says the total.</summary>
    private static async Task ShowAsync(SparkExecution execution, SparkRun run, CancellationToken cancellationToken)
    {
        var max = run.Limits.DataResourceRows;
        var rows = new List<object?[]>();
        Schema? schema = null;
        string? tableId = null;
        await foreach (var batch in execution.ReadBatchesAsync(cancellationToken).ConfigureAwait(false))
        {
            using (batch)
            {
                schema ??= batch.Schema;
                if (rows.Count < max) ArrowTabular.AppendRows(batch, rows, max);
                // The display's worth is here and more is coming: show it now, count the rest (which may take a while).
                if (rows.Count == max && tableId is null && !execution.Completion.IsCompleted)
                {
                    tableId = "table-" + Guid.NewGuid().ToString("N");
                    run.Sink.Display(TabularBundles.From(TabularResult.FromFields(ArrowTabular.Fields(schema), rows, hasMoreRows: true, totalRows: null), run.Limits), tableId, update: false);
                }
            }
        }
        schema ??= await execution.GetSchemaAsync(cancellationToken).ConfigureAwait(false);
        if (schema.FieldsList.Count == 0)
        {
            run.Sink.Stream("stdout", "OK\n");
            return;
        }
        var table = TabularResult.FromFields(ArrowTabular.Fields(schema), rows, hasMoreRows: false, totalRows: execution.RowsReceived);
        run.Sink.Display(TabularBundles.From(table, run.Limits), tableId, update: tableId is not null);
    }

    /// <summary>What the progress display shows of an operation.</summary>
    internal static ProgressView View(QueryProgress p, string? state = null)
    {
        var details = new List<KeyValuePair<string, string>>();
        if (p.Stages is { } stages) details.Add(new("stages", stages.ToString(CultureInfo.InvariantCulture)));
        if (p.Total is { } total) details.Add(new(p.Unit, $"{p.Done ?? 0}/{total}"));
        if (p.Bytes is > 0) details.Add(new("read", Units.Bytes(p.Bytes.Value)));
        if (p.ResultRows is > 0) details.Add(new("result", $"{p.ResultRows.Value.ToString("N0", CultureInfo.InvariantCulture)} rows"));
        details.Add(new("elapsed", $"{p.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"));
        return new ProgressView
        {
            Title = p.QueryId is { } id ? $"Spark operation {id}" : "Spark operation",
            State = state ?? p.State,
            Fraction = state == "FINISHED" ? 1 : p.Fraction,
            Details = details,
            Link = p.InfoUri,
            LinkText = "Spark UI",
        };
    }
}
