using KernelGateway.Kernel.Extensions;
using KernelGateway.Platform.Trino;
using KernelGateway.Platform.Warehouse;
using Microsoft.Data.Analysis;

namespace KernelGateway.Extensions.Sql;

/// <summary>
/// The SQL engines in a kernel: <c>%%sql</c>, <c>%%trino</c>, <c>%%presto</c>, <c>%connect</c>, and the preloaded
/// <c>Warehouse</c> (the typed client of every named connection), <c>Trino</c> (the Trino and Presto connections'
/// clients) and <c>Jobs</c> (run summaries as DataFrames), with DataFrames and Trino results shown as tables. Queries from cells that pass no token are cancelled
/// by an interrupt.
/// </summary>
public sealed class SqlExtension(WarehouseClient warehouse) : IKernelExtension
{
    /// <inheritdoc />
    public string Name => "sql";

    /// <inheritdoc />
    public void Register(IKernelExtensionContext context)
    {
        var sql = new SqlMagic(warehouse);
        var trinoMagic = SqlMagic.ForKind(warehouse, ConnectionKinds.Trino);
        var prestoMagic = SqlMagic.ForKind(warehouse, ConnectionKinds.Presto);
        context.Magics.Add(sql).Add(trinoMagic).Add(prestoMagic).Add(new ConnectMagic(warehouse.Connections));
        context.OnShutdown(sql.DisposeAsync);
        context.OnShutdown(trinoMagic.DisposeAsync);
        context.OnShutdown(prestoMagic.DisposeAsync);
        context.OnShutdown(() => { warehouse.Trino.Dispose(); return ValueTask.CompletedTask; });
        warehouse.Trino.AmbientCancellation = () => context.CurrentCellToken;
        var limits = new KernelGateway.Formatting.Tabular.TabularLimits();
        context.AddTabular<DataFrame>(frame => DataFrames.Preview(frame, limits));
        context.AddTabular<TrinoResult>(result => KernelGateway.Formatting.Tabular.TabularResult.FromFields(
            TrinoStatementRunner.Fields(result.Columns), result.Rows.Take(limits.DataResourceRows).ToList(), false, result.Rows.Count));
        context.Publish("Warehouse", warehouse);
        context.Publish("Trino", warehouse.Trino);
        // Notebooks-as-jobs in a cell; it moves to a jobs extension of its own when the scheduler lands.
        context.Publish("Jobs", new Jobs.JobsInCells());
        context.Import(typeof(TrinoClient).Assembly, "KernelGateway.Platform.Trino");
        context.Import(typeof(WarehouseClient).Assembly, "KernelGateway.Platform.Warehouse");
        context.Import(typeof(DataFrame).Assembly, "Microsoft.Data.Analysis");
        context.Import(typeof(Microsoft.ML.DataViewSchema).Assembly);
        context.Import(typeof(KernelGateway.Formatting.Tabular.TabularResult).Assembly, "KernelGateway.Formatting.Tabular");
    }
}
