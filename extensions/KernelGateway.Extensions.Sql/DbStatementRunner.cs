using System.Data.Common;
using KernelGateway.Formatting.Tabular;
using KernelGateway.Kernel.Engine;
using KernelGateway.Platform.Sql;
using KernelGateway.Platform.Warehouse;
using Microsoft.Data.Analysis;

namespace KernelGateway.Extensions.Sql;

/// <summary>
/// Statements on ADO.NET engines (DuckDB, PostgreSQL): one open connection per name for the kernel's life, as jupysql
/// keeps one, so temporary tables and settings survive between statements and cells.
/// </summary>
internal sealed class DbStatementRunner(WarehouseClient warehouse) : IStatementRunner, IAsyncDisposable
{
    private readonly Dictionary<string, DbConnection> _open = new(StringComparer.OrdinalIgnoreCase);

    public async Task<ExecutionOutcome> RunAsync(string statement, SqlRun run, bool last, CancellationToken cancellationToken)
    {
        var prefix = run.Spec.Kind == ConnectionKinds.Postgres ? '@' : '$';
        var (text, names) = SqlText.RewriteParameters(statement, prefix);
        var parameters = run.Bind(names, prefix);
        var db = await ConnectionAsync(run.Spec, cancellationToken).ConfigureAwait(false);
        await using var reader = await WarehouseClient.ReadAsync(db, text, parameters, closeConnection: false, cancellationToken).ConfigureAwait(false);
        if (!last) return ExecutionOutcome.Ok();
        if (reader.FieldCount == 0)
        {
            if (reader.RecordsAffected >= 0) run.Sink.Stream("stdout", $"{reader.RecordsAffected} rows affected.\n");
            return ExecutionOutcome.Ok();
        }
        if (run.Out is { } outName)
        {
            var frame = await DataFrames.LoadAsync(reader, cancellationToken).ConfigureAwait(false);
            await run.Variables!.SetVariableAsync(outName, frame, typeof(DataFrame), cancellationToken).ConfigureAwait(false);
            run.Sink.Display(TabularBundles.From(DataFrames.Preview(frame, run.Limits), run.Limits), null, update: false);
        }
        else
        {
            var table = await TabularResult.ReadAsync(reader, run.Limits, cancellationToken: cancellationToken).ConfigureAwait(false);
            run.Sink.Display(TabularBundles.From(table, run.Limits), null, update: false);
        }
        return ExecutionOutcome.Ok();
    }

    private async Task<DbConnection> ConnectionAsync(ConnectionSpec spec, CancellationToken cancellationToken)
    {
        if (_open.TryGetValue(spec.Name, out var db) && db.State == System.Data.ConnectionState.Open) return db;
        db = await warehouse.OpenAsync(spec.Name, cancellationToken).ConfigureAwait(false);
        _open[spec.Name] = db;
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var db in _open.Values) await db.DisposeAsync().ConfigureAwait(false);
        _open.Clear();
    }
}
