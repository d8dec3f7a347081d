using KernelGateway.Formatting.Tabular;
using KernelGateway.Kernel.Engine;
using KernelGateway.Kernel.Magics;
using KernelGateway.Platform.Sql;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Extensions.Sql;

/// <summary>
/// <c>%%sql [connection] [--out name] [--limit N] [--param name=value]...</c> and <c>%sql query</c>: runs SQL on a
/// named connection (the embedded warehouse by default). <c>@name</c> / <c>$name</c> refer to C# variables (or
/// <c>--param</c> values) and are bound as parameters, never spliced into the text. Several statements run in
/// order; the last one's result is displayed as a table (text, HTML and Table Schema data resource).
/// <c>--out name</c> also assigns the full result to a C# variable (a DataFrame). Interrupting cancels the query.
/// The same magic answers to <c>%%trino</c> and <c>%%presto</c>: then the connection must be of that protocol, and
/// is the default one of the kind when none is named.
/// </summary>
public sealed class SqlMagic : IMagic, IAsyncDisposable
{
    private readonly WarehouseClient _warehouse;
    private readonly string? _kind;
    private readonly DbStatementRunner _db;
    private readonly TrinoStatementRunner _trino;

    /// <summary><c>%%sql</c> over every connection.</summary>
    public SqlMagic(WarehouseClient warehouse) : this(warehouse, "sql", null) { }

    private SqlMagic(WarehouseClient warehouse, string name, string? kind)
    {
        _warehouse = warehouse;
        _kind = kind;
        Name = name;
        _db = new DbStatementRunner(warehouse);
        _trino = new TrinoStatementRunner(warehouse.Trino);
    }

    /// <summary><c>%%trino</c> or <c>%%presto</c>: the same magic, on connections of that kind.</summary>
    public static SqlMagic ForKind(WarehouseClient warehouse, string kind) => new(warehouse, kind, kind);

    /// <summary>Closes the open connections.</summary>
    public ValueTask DisposeAsync() => _db.DisposeAsync();

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public MagicKinds Kinds => MagicKinds.Line | MagicKinds.Cell;

    /// <inheritdoc />
    public string Summary => _kind is null
        ? "Run SQL on a connection: %%sql [connection] [--out name] [--limit N] [--param k=v]; %sql <query>."
        : $"Run SQL on a {_kind} connection (the default one if none is named): %%{_kind} [connection] [--out name] [--limit N] [--param k=v]; %{_kind} <query>.";

    /// <inheritdoc />
    public async Task<ExecutionOutcome> RunAsync(MagicInvocation invocation, CancellationToken cancellationToken)
    {
        SqlArguments args;
        ConnectionSpec spec;
        try
        {
            args = invocation.IsCell ? SqlArguments.Parse(invocation.Arguments, _warehouse.Connections) : new SqlArguments();
            spec = Resolve(args.Connection);
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException or ConnectionUnusableException or InvalidOperationException)
        {
            return Usage(e.Message);
        }
        var script = invocation.IsCell ? invocation.Body! : invocation.Arguments;
        var statements = SqlText.Split(script);
        if (statements.Count == 0) return Usage("no SQL to run");
        var run = new SqlRun
        {
            Spec = spec,
            Sink = invocation.Sink,
            Variables = invocation.Engine as IVariableStore,
            Limits = new TabularLimits { DisplayRows = args.Limit ?? 50, DataResourceRows = Math.Max(args.Limit ?? 10_000, 1) },
            Out = args.Out,
            Parameters = args.Parameters,
        };
        if (run.Out is not null && run.Variables is null) return Usage("--out needs an engine with variables");
        SqlStatementText? current = null;
        try
        {
            var runner = ConnectionKinds.IsTrinoProtocol(spec.Kind) ? (IStatementRunner)_trino : _db;
            for (var i = 0; i < statements.Count; i++)
            {
                current = statements[i];
                var outcome = await runner.RunAsync(current.Text, run, last: i == statements.Count - 1, cancellationToken).ConfigureAwait(false);
                if (!outcome.Succeeded) return outcome;
            }
            return ExecutionOutcome.Ok();
        }
        catch (UnboundParameterException e)
        {
            return Usage(e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException && current is not null && QueryFailure.From(e, current.Text) is { } failure)
        {
            return SqlErrors.Outcome(failure, spec, script, current, headerLines: invocation.IsCell ? 1 : 0);
        }
    }

    private ConnectionSpec Resolve(string? name)
    {
        var spec = _kind is not null && name is null ? _warehouse.Trino.DefaultSpec(_kind) : _warehouse.Connections.Get(name);
        if (ConnectionKinds.IsCatalogOnly(spec.Kind)) throw new ArgumentException(ConnectionKinds.CatalogOnlyMessage(spec));
        return _kind is null || ConnectionKinds.IsTrinoProtocol(spec.Kind) ? spec
            : throw new ArgumentException($"%%{_kind} runs on trino or presto connections; '{spec.Name}' is {spec.Kind} (use %%sql {spec.Name})");
    }

    internal static ExecutionOutcome Usage(string message) => ExecutionOutcome.Failed("UsageError", message, [$"UsageError: {message}"]);
}

/// <summary>One run of the magic: where it runs and what to do with the last result.</summary>
internal sealed record SqlRun
{
    public required ConnectionSpec Spec { get; init; }
    public required IExecutionSink Sink { get; init; }
    public required IVariableStore? Variables { get; init; }
    public required TabularLimits Limits { get; init; }
    public required string? Out { get; init; }
    public required IReadOnlyDictionary<string, object?> Parameters { get; init; }

    /// <summary>The values of the references a statement makes: <c>--param</c> first, then C# variables.</summary>
    /// <exception cref="UnboundParameterException">A reference has neither.</exception>
    public Dictionary<string, object?> Bind(IEnumerable<string> names, char prefix) => ParameterValues.Bind(names, Parameters, Variables, prefix);
}

/// <summary>Where the values of a cell's parameter references come from.</summary>
internal static class ParameterValues
{
    /// <summary>The value of each name: from <paramref name="given"/> (<c>--param</c>) first, then the engine's variables.</summary>
    /// <exception cref="UnboundParameterException">A name has neither.</exception>
    public static Dictionary<string, object?> Bind(IEnumerable<string> names, IReadOnlyDictionary<string, object?> given, IVariableStore? variables, char prefix)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (given.TryGetValue(name, out var value)) values[name] = value;
            else if (variables is not null && variables.TryGetVariable(name, out var variable)) values[name] = variable;
            else throw new UnboundParameterException($"`{prefix}{name}` is neither a --param nor a C# variable");
        }
        return values;
    }
}

/// <summary>A parameter reference with no value.</summary>
internal sealed class UnboundParameterException(string message) : Exception(message);

/// <summary>Runs one statement of a script on one kind of engine.</summary>
internal interface IStatementRunner
{
    /// <summary>Runs a statement; only the last one's result is shown (or assigned with <c>--out</c>).</summary>
    Task<ExecutionOutcome> RunAsync(string statement, SqlRun run, bool last, CancellationToken cancellationToken);
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

    /// <summary>Splits on spaces, keeping "double quoted" parts together (without their quotes).</summary>
    internal static List<string> Tokens(string text) => MagicArguments.Split(text);
}
