using KernelGateway.Formatting.Tabular;
using KernelGateway.Kernel.Engine;
using KernelGateway.Kernel.Magics;
using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Platform.Spark.Livy;
using KernelGateway.Platform.Sql;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Extensions.Sql.Spark;

/// <summary>
/// <c>%%spark [connection] [--lang sql|scala|python|r] [--session name] [--out name] [--limit N] [--param k=v]</c>
/// runs a cell on Spark: SQL over Spark Connect when the connection is one (kind <c>spark</c>: typed Arrow results,
/// C# values bound as named parameters), code (and SQL) over Livy when it is kind <c>livy</c>. Without a connection,
/// SQL goes to the default Spark Connect connection (else Livy's) and code to the default Livy connection. The
/// language is SQL on Spark Connect and Scala on Livy unless <c>--lang</c> says otherwise. Results show up to
/// <c>--limit</c> rows (10,000 by default) and say the total; <c>--out</c> assigns the whole result as a DataFrame.
/// <c>%spark info|sessions|logs|delete|config|submit</c> manage sessions, configuration and batch jobs.
/// </summary>
public sealed class SparkMagic : IMagic
{
    internal const string DefaultSession = "default";
    private readonly ConnectionRegistry _registry;
    private readonly SparkConnections _spark;
    private readonly LivyConnections _livy;
    private readonly SparkSqlRunner _sql;
    private readonly LivyCodeRunner _code;
    private readonly SparkCommands _commands;

    /// <summary>The magic over a kernel's connections and their clients.</summary>
    public SparkMagic(ConnectionRegistry registry, SparkConnections spark, LivyConnections livy)
    {
        _registry = registry;
        _spark = spark;
        _livy = livy;
        _sql = new SparkSqlRunner(spark);
        _code = new LivyCodeRunner(livy);
        _commands = new SparkCommands(registry, spark, livy);
    }

    /// <inheritdoc />
    public string Name => "spark";

    /// <inheritdoc />
    public MagicKinds Kinds => MagicKinds.Line | MagicKinds.Cell;

    /// <inheritdoc />
    public string Summary => "Run on Spark: %%spark [connection] [--lang sql|scala|python|r] [--session name] [--out name] [--limit N] [--param k=v]; %spark info|sessions|logs|delete|config|submit.";

    /// <inheritdoc />
    public async Task<ExecutionOutcome> RunAsync(MagicInvocation invocation, CancellationToken cancellationToken)
    {
        try
        {
            if (!invocation.IsCell) return await _commands.RunAsync(SparkCommand.Parse(invocation.Arguments), invocation.Sink, cancellationToken).ConfigureAwait(false);
            var args = SparkArguments.Parse(invocation.Arguments);
            var run = Prepare(args, invocation);
            if (run.Out is not null && run.Variables is null) return Usage("--out needs an engine with variables");
            return run.Spec.Kind == ConnectionKinds.Spark
                ? await RunSqlAsync(invocation.Body!, run, cancellationToken).ConfigureAwait(false)
                : await _code.RunAsync(invocation.Body!, run, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException or ConnectionUnusableException or InvalidOperationException or UnboundParameterException)
        {
            return Usage(e.Message);
        }
        catch (LivyException e)
        {
            return ExecutionOutcome.Failed(e.GetType().Name, e.Message, [$"{e.GetType().Name}: {e.Message}"]);
        }
    }

    private SparkRun Prepare(SparkArguments args, MagicInvocation invocation)
    {
        var spec = Resolve(args);
        var language = args.Language ?? (spec.Kind == ConnectionKinds.Spark ? SparkLanguages.Sql : DefaultLivyLanguage(spec, args.Session));
        if (spec.Kind == ConnectionKinds.Spark && language != SparkLanguages.Sql)
            throw new ArgumentException($"'{spec.Name}' is a Spark Connect connection, which runs SQL here (and DataFrames through the Spark object); {language} code runs on a livy connection");
        if (spec.Kind == ConnectionKinds.Spark && args.Session is not null)
            throw new ArgumentException("--session names Livy sessions; a Spark Connect connection has one session per kernel");
        return new SparkRun
        {
            Spec = spec,
            Language = language,
            Session = args.Session ?? DefaultSession,
            Sink = invocation.Sink,
            Variables = invocation.Engine as IVariableStore,
            Limits = new TabularLimits { DisplayRows = Math.Min(args.Limit ?? 50, 50), DataResourceRows = args.Limit ?? 10_000 },
            Out = args.Out,
            Parameters = args.Parameters,
        };
    }

    /// <summary>The connection: the one named, else the default Spark Connect one for SQL (Livy's if there is none) and the default Livy one for code.</summary>
    private ConnectionSpec Resolve(SparkArguments args)
    {
        if (args.Connection is { } name)
        {
            var spec = _registry.Get(name);
            if (ConnectionKinds.IsCatalogOnly(spec.Kind)) throw new ArgumentException(ConnectionKinds.CatalogOnlyMessage(spec));
            return spec.Kind is ConnectionKinds.Spark or ConnectionKinds.Livy ? spec
                : throw new ArgumentException($"%%spark runs on spark (Spark Connect) or livy connections; '{spec.Name}' is {spec.Kind} (use %%sql {spec.Name})");
        }
        var wantsCode = args.Language is not null and not SparkLanguages.Sql;
        if (wantsCode || !_registry.All.Any(c => c.Kind == ConnectionKinds.Spark) && _livy.Any) return _livy.DefaultSpec();
        return _spark.DefaultSpec();
    }

    /// <summary>On Livy without <c>--lang</c>: the language of the session's kind when it exists, else Scala.</summary>
    private string DefaultLivyLanguage(ConnectionSpec spec, string? session)
    {
        var sessions = _livy.Get(spec).Sessions.Sessions;
        return sessions.TryGetValue(session ?? DefaultSession, out var s) && s.Kind is { } kind && kind != LivyKinds.Shared
            ? SparkLanguages.Parse(kind)
            : SparkLanguages.Scala;
    }

    private async Task<ExecutionOutcome> RunSqlAsync(string script, SparkRun run, CancellationToken cancellationToken)
    {
        var statements = SqlText.Split(script);
        if (statements.Count == 0) return Usage("no SQL to run");
        SqlStatementText? current = null;
        try
        {
            for (var i = 0; i < statements.Count; i++)
            {
                current = statements[i];
                var outcome = await _sql.RunAsync(current.Text, run, last: i == statements.Count - 1, cancellationToken).ConfigureAwait(false);
                if (!outcome.Succeeded) return outcome;
            }
            return ExecutionOutcome.Ok();
        }
        catch (Exception e) when (e is not OperationCanceledException and not UnboundParameterException && current is not null && QueryFailure.From(e, current.Text) is { } failure)
        {
            return SqlErrors.Outcome(failure, run.Spec, script, current, headerLines: 1);
        }
    }

    internal static ExecutionOutcome Usage(string message) => ExecutionOutcome.Failed("UsageError", message, [$"UsageError: {message}"]);
}
