using KernelGateway.Kernel.Engine;
using KernelGateway.Kernel.Magics;
using KernelGateway.Platform.Metastore;
using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Platform.Trino;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Extensions.Metastore.SqlCompletion;

/// <summary>
/// Completion and inspection from the metastore inside <c>%%sql</c>, <c>%%trino</c>, <c>%%presto</c> and
/// <c>%%spark</c> cells, for the connection the cell runs on: the one its magic line names (first word, or
/// <c>--connection</c>/<c>-c</c>), else that magic's default, chosen as the magic chooses it. A cell whose
/// connection cannot be told, or whose engine has no metastore provider, gets keywords only.
/// </summary>
/// <param name="magic">The magic's name: sql, trino, presto or spark.</param>
/// <param name="metastore">The kernel's metastore client (its cache is shared with <c>%metastore</c>).</param>
/// <param name="warehouse">The kernel's connections.</param>
/// <param name="bound">How long one request waits for the metastore before answering with what it has.</param>
internal sealed class SqlCellIntrospector(string magic, MetastoreClient metastore, WarehouseClient warehouse, TimeSpan bound) : ICellIntrospector
{
    /// <summary>Options of the SQL magics that take a value (that value is not the connection).</summary>
    private static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal) { "--out", "--limit", "--param", "--lang", "--session", "-o", "-l", "-p" };

    /// <summary>The magics this answers for.</summary>
    public static readonly IReadOnlyList<string> Magics = ["sql", "trino", "presto", "spark"];

    public async Task<CompletionResult?> CompleteAsync(CellIntrospection cell, CancellationToken cancellationToken)
    {
        if (Target(cell) is not { } spec) return null;
        var dialect = SqlDialect.For(spec.Kind);
        var cursor = SqlCursor.At(cell.Body, cell.Offset, dialect);
        return await SqlCompleter.CompleteAsync(cursor, new SqlNameSource(metastore, spec.Name, bound), dialect, PreferredSchema(spec), cancellationToken).ConfigureAwait(false);
    }

    public async Task<MimeBundle?> InspectAsync(CellIntrospection cell, CancellationToken cancellationToken)
    {
        if (Target(cell) is not { } spec) return null;
        var dialect = SqlDialect.For(spec.Kind);
        return await SqlInspector.InspectAsync(cell.Body, cell.Offset, new SqlNameSource(metastore, spec.Name, bound * 3), dialect, PreferredSchema(spec), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The connection the cell runs on, or null when it cannot be told.</summary>
    private ConnectionSpec? Target(CellIntrospection cell)
    {
        try
        {
            var named = ConnectionArgument(cell.Arguments);
            return magic switch
            {
                "trino" or "presto" => named is null ? warehouse.Trino.DefaultSpec(magic) : warehouse.Connections.Get(named),
                "spark" => named is null ? SparkConnections.DefaultSpecOf(warehouse.Connections) : warehouse.Connections.Get(named),
                _ => warehouse.Connections.Get(named),
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or ConnectionUnusableException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The connection a magic line names: <c>--connection x</c>, <c>-c x</c>, or the first word that is no option or option value.</summary>
    internal static string? ConnectionArgument(string arguments)
    {
        var words = MagicArguments.Split(arguments);
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i] is "--connection" or "-c") return i + 1 < words.Count ? words[i + 1] : null;
            if (ValueOptions.Contains(words[i])) { i++; continue; }
            if (!words[i].StartsWith('-')) return words[i];
        }
        return null;
    }

    /// <summary>The schema a Trino connection's session starts in, which unqualified names resolve in.</summary>
    private static string? PreferredSchema(ConnectionSpec spec)
    {
        if (!ConnectionKinds.IsTrinoProtocol(spec.Kind)) return null;
        try { return TrinoConnectionOptions.Parse(spec.ConnectionString, spec.Kind == ConnectionKinds.Presto).Schema; }
        catch (FormatException) { return null; }
        catch (ArgumentException) { return null; }
    }
}
