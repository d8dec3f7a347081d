using KernelGateway.Kernel.DotNetInteractive;
using KernelGateway.Kernel.Magics;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Extensions.Sql;

/// <summary>What cells see: <c>Warehouse</c>, the typed client of every named connection.</summary>
public static class SqlGlobals
{
    private static WarehouseClient? _warehouse;

    /// <summary>The warehouse client (the same connections as <c>%%sql</c>).</summary>
    public static WarehouseClient Warehouse => _warehouse ?? throw new InvalidOperationException("the SQL extension is not loaded");

    internal static void Set(WarehouseClient client) => _warehouse = client;
}

/// <summary>Registers <c>%%sql</c>, <c>%connect</c> and the preloaded <c>Warehouse</c> in a kernel.</summary>
public static class SqlExtension
{
    /// <summary>Adds the magics and preloads the client and DataFrame types in every cell.</summary>
    public static void Register(MagicRegistry magics, DotNetInteractiveEngine engine, WarehouseClient warehouse)
    {
        SqlGlobals.Set(warehouse);
        KernelGateway.Kernel.Engine.TabularConverters.Register<Microsoft.Data.Analysis.DataFrame>(frame => DataFrames.Preview(frame, new KernelGateway.Formatting.Tabular.TabularLimits()));
        magics.Add(new SqlMagic(warehouse)).Add(new ConnectMagic(warehouse.Connections));
        engine.Preload(typeof(SqlGlobals).Assembly.Location, "using static KernelGateway.Extensions.Sql.SqlGlobals;")
              .Preload(typeof(WarehouseClient).Assembly.Location, "using KernelGateway.Platform.Warehouse;")
              .Preload(typeof(Microsoft.Data.Analysis.DataFrame).Assembly.Location, "using Microsoft.Data.Analysis;")
              .Preload(typeof(Microsoft.ML.DataViewSchema).Assembly.Location, "")
              .Preload(typeof(KernelGateway.Formatting.Tabular.TabularResult).Assembly.Location, "using KernelGateway.Formatting.Tabular;");
    }
}

/// <summary><c>%connect name kind=postgres connection_string="Host=...;..."</c>: adds a named connection for this kernel.</summary>
internal sealed class ConnectMagic(ConnectionRegistry registry) : IMagic
{
    public string Name => "connect";
    public MagicKinds Kinds => MagicKinds.Line;
    public string Summary => "Add a named connection: %connect name kind=duckdb|postgres connection_string=\"...\".";

    public Task<KernelGateway.Kernel.Engine.ExecutionOutcome> RunAsync(MagicInvocation invocation, CancellationToken cancellationToken)
    {
        var tokens = SqlArguments.Tokens(invocation.Arguments);
        if (tokens.Count == 0) return Fail("%connect needs a name");
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var t in tokens.Skip(1))
        {
            var eq = t.IndexOf('=');
            if (eq <= 0) return Fail($"expected key=value, not '{t}'");
            values[t[..eq]] = t[(eq + 1)..];
        }
        try
        {
            var spec = registry.Add(new ConnectionSpec
            {
                Name = tokens[0],
                Kind = values.GetValueOrDefault("kind") ?? ConnectionKinds.DuckDb,
                ConnectionString = values.GetValueOrDefault("connection_string") ?? values.GetValueOrDefault("cs") ?? "",
            });
            invocation.Sink.Stream("stdout", $"Connection added: {spec}\n");
            return Task.FromResult(KernelGateway.Kernel.Engine.ExecutionOutcome.Ok());
        }
        catch (ArgumentException e)
        {
            return Fail(e.Message);
        }
    }

    private static Task<KernelGateway.Kernel.Engine.ExecutionOutcome> Fail(string message) =>
        Task.FromResult(KernelGateway.Kernel.Engine.ExecutionOutcome.Failed("UsageError", message, [$"UsageError: {message}"]));
}
