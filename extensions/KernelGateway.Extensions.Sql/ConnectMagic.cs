using KernelGateway.Kernel.Engine;
using KernelGateway.Kernel.Magics;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Extensions.Sql;

/// <summary>
/// <c>%connect name kind=postgres connection_string="Host=...;..."</c>: adds a named connection for this kernel.
/// <c>%connect</c> alone lists the connections, and every entry that cannot be used with what is wrong with it.
/// </summary>
internal sealed class ConnectMagic(ConnectionRegistry registry) : IMagic
{
    public string Name => "connect";
    public MagicKinds Kinds => MagicKinds.Line;
    public string Summary => "Add a named connection: %connect name kind=duckdb|postgres|trino|presto|spark|livy|iceberg connection_string=\"...\"; alone, list them.";

    public Task<ExecutionOutcome> RunAsync(MagicInvocation invocation, CancellationToken cancellationToken)
    {
        var tokens = SqlArguments.Tokens(invocation.Arguments);
        if (tokens.Count == 0 || tokens is ["--list"])
        {
            invocation.Sink.Stream("stdout", Listing());
            return Task.FromResult(ExecutionOutcome.Ok());
        }
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
            return Task.FromResult(ExecutionOutcome.Ok());
        }
        catch (ArgumentException e)
        {
            return Fail(e.Message);
        }
    }

    private string Listing()
    {
        var text = new System.Text.StringBuilder();
        foreach (var spec in registry.All) text.Append("  ").Append(spec).Append('\n');
        var problems = registry.Problems;
        if (problems.Count > 0)
        {
            text.Append("Cannot be used:\n");
            foreach (var p in problems) text.Append("  ").Append(p).Append('\n');
        }
        return "Connections:\n" + text;
    }

    private static Task<ExecutionOutcome> Fail(string message) =>
        Task.FromResult(ExecutionOutcome.Failed("UsageError", message, [$"UsageError: {message}"]));
}
