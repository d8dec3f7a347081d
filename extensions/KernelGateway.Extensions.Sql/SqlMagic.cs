using System.Data.Common;
using KernelGateway.Formatting.Tabular;
using KernelGateway.Kernel.Engine;
using KernelGateway.Kernel.Magics;
using KernelGateway.Platform.Warehouse;
using Microsoft.Data.Analysis;

namespace KernelGateway.Extensions.Sql;

/// <summary>
/// <c>%%sql [connection] [--out name] [--limit N] [--param name=value]...</c> and <c>%sql query</c>: runs SQL on a
/// named connection (the embedded warehouse by default). <c>@name</c> / <c>$name</c> refer to C# variables (or
/// <c>--param</c> values) and are bound as parameters, never spliced into the text. Several statements run in
/// order; the last one's result is displayed as a table (text, HTML and Table Schema data resource).
/// <c>--out name</c> also assigns the full result to a C# variable (a DataFrame). Interrupting cancels the query.
/// </summary>
public sealed class SqlMagic(WarehouseClient warehouse) : IMagic, IAsyncDisposable
{
    // One open connection per name for the kernel's life, as jupysql keeps one: temporary tables and settings
    // survive between statements and cells.
    private readonly Dictionary<string, DbConnection> _open = new(StringComparer.OrdinalIgnoreCase);

    private async Task<DbConnection> ConnectionAsync(ConnectionSpec spec, CancellationToken cancellationToken)
    {
        if (_open.TryGetValue(spec.Name, out var db) && db.State == System.Data.ConnectionState.Open) return db;
        db = await warehouse.OpenAsync(spec.Name, cancellationToken).ConfigureAwait(false);
        _open[spec.Name] = db;
        return db;
    }

    /// <summary>Closes the open connections.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var db in _open.Values) await db.DisposeAsync().ConfigureAwait(false);
        _open.Clear();
    }

    /// <inheritdoc />
    public string Name => "sql";

    /// <inheritdoc />
    public MagicKinds Kinds => MagicKinds.Line | MagicKinds.Cell;

    /// <inheritdoc />
    public string Summary => "Run SQL on a connection: %%sql [connection] [--out name] [--limit N] [--param k=v]; %sql <query>.";

    /// <inheritdoc />
    public async Task<ExecutionOutcome> RunAsync(MagicInvocation invocation, CancellationToken cancellationToken)
    {
        SqlArguments args;
        try { args = invocation.IsCell ? SqlArguments.Parse(invocation.Arguments, warehouse.Connections) : new SqlArguments(); }
        catch (ArgumentException e) { return Usage(e.Message); }
        var sql = invocation.IsCell ? invocation.Body! : invocation.Arguments;
        var statements = SqlText.SplitStatements(sql);
        if (statements.Count == 0) return Usage("no SQL to run");

        ConnectionSpec spec;
        try { spec = warehouse.Connections.Get(args.Connection); }
        catch (KeyNotFoundException e) { return Usage(e.Message); }
        var prefix = spec.Kind == ConnectionKinds.Postgres ? '@' : '$';
        var variables = invocation.Engine as IVariableStore;
        var limits = new TabularLimits { DisplayRows = args.Limit ?? 50, DataResourceRows = Math.Max(args.Limit ?? 10_000, 1) };

        try
        {
            var db = await ConnectionAsync(spec, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < statements.Count; i++)
            {
                var (text, names) = SqlText.RewriteParameters(statements[i], prefix);
                var parameters = new Dictionary<string, object?>();
                foreach (var name in names)
                {
                    if (args.Parameters.TryGetValue(name, out var given)) parameters[name] = given;
                    else if (variables is not null && variables.TryGetVariable(name, out var value)) parameters[name] = value;
                    else return Usage($"`{prefix}{name}` is neither a --param nor a C# variable");
                }
                await using var reader = await WarehouseClient.ReadAsync(db, text, parameters, closeConnection: false, cancellationToken).ConfigureAwait(false);
                if (i < statements.Count - 1) continue;
                if (reader.FieldCount == 0)
                {
                    if (reader.RecordsAffected >= 0) invocation.Sink.Stream("stdout", $"{reader.RecordsAffected} rows affected.\n");
                    return ExecutionOutcome.Ok();
                }
                if (args.Out is { } outName)
                {
                    if (variables is null) return Usage("--out needs an engine with variables");
                    var frame = await DataFrames.LoadAsync(reader, cancellationToken).ConfigureAwait(false);
                    await variables.SetVariableAsync(outName, frame, typeof(DataFrame), cancellationToken).ConfigureAwait(false);
                    invocation.Sink.Display(TabularBundles.From(DataFrames.Preview(frame, limits), limits), null, update: false);
                }
                else
                {
                    var table = await TabularResult.ReadAsync(reader, limits, cancellationToken: cancellationToken).ConfigureAwait(false);
                    invocation.Sink.Display(TabularBundles.From(table, limits), null, update: false);
                }
            }
            return ExecutionOutcome.Ok();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (DbException e)
        {
            var message = e is Npgsql.PostgresException { Position: > 0 } pg
                ? $"{pg.MessageText} (at character {pg.Position} of the statement)"
                : e.Message.Trim();
            return ExecutionOutcome.Failed("SqlError", message, [$"SqlError ({spec.Name}, {spec.Kind}): {message}"]);
        }
    }

    private static ExecutionOutcome Usage(string message) => ExecutionOutcome.Failed("UsageError", message, [$"UsageError: {message}"]);
}

/// <summary>The first line of <c>%%sql</c>.</summary>
internal sealed record SqlArguments
{
    public string? Connection { get; init; }
    public string? Out { get; init; }
    public int? Limit { get; init; }
    public Dictionary<string, object?> Parameters { get; init; } = new();

    public static SqlArguments Parse(string text, ConnectionRegistry registry)
    {
        var tokens = Tokens(text);
        string? connection = null, output = null;
        int? limit = null;
        var parameters = new Dictionary<string, object?>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            string Next() => i + 1 < tokens.Count ? tokens[++i] : throw new ArgumentException($"{t} needs a value");
            switch (t)
            {
                case "--out" or "-o":
                    output = Next();
                    if (!System.Text.RegularExpressions.Regex.IsMatch(output, @"^[A-Za-z_]\w*$")) throw new ArgumentException($"--out needs a C# identifier, not '{output}'");
                    break;
                case "--limit" or "-l":
                    limit = int.TryParse(Next(), out var n) && n > 0 ? n : throw new ArgumentException("--limit needs a positive number");
                    break;
                case "--param" or "-p":
                    var kv = Next();
                    var eq = kv.IndexOf('=');
                    if (eq <= 0) throw new ArgumentException($"--param needs name=value, not '{kv}'");
                    parameters[kv[..eq]] = kv[(eq + 1)..];
                    break;
                case "--connection" or "-c":
                    connection = Next();
                    break;
                default:
                    if (t.StartsWith('-')) throw new ArgumentException($"unknown option '{t}'");
                    if (connection is not null) throw new ArgumentException($"unexpected '{t}' (connection is already '{connection}')");
                    connection = t;
                    break;
            }
        }
        if (connection is not null) registry.Get(connection);
        return new SqlArguments { Connection = connection, Out = output, Limit = limit, Parameters = parameters };
    }

    /// <summary>Splits on spaces, keeping "double quoted" parts together.</summary>
    internal static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"') { quoted = !quoted; continue; }
            if (char.IsWhiteSpace(c) && !quoted)
            {
                if (current.Length > 0) { tokens.Add(current.ToString()); current.Clear(); }
                continue;
            }
            current.Append(c);
        }
        if (current.Length > 0) tokens.Add(current.ToString());
        return tokens;
    }
}
