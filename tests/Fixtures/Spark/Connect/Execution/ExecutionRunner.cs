using Google.Protobuf;
using KernelGateway.Tests.Fixtures.Spark.Connect.Catalog;
using KernelGateway.Tests.Fixtures.Spark.Connect.Engine;
using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;
using KernelGateway.Tests.Fixtures.Spark.Connect.Plans;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;
using KernelGateway.Tests.Fixtures.Spark.Connect.Results;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Execution;

/// <summary>
/// Runs one execution as Spark's ExecuteThreadRunner does: a root relation is streamed (<see cref="QueryStreamer"/>);
/// a SqlCommand answers <c>sql_command_result</c> — for a query the SQL relation itself (after checking it
/// analyzes), for a command the command run eagerly with its rows as a <c>local_relation</c> — then metrics. A
/// reattachable execution ends with ResultComplete. A failure ends the stream with the error, an interrupt with
/// OPERATION_CANCELED.
/// </summary>
internal sealed class ExecutionRunner(SparkDuckDb db, SparkConnectServerOptions options, ResultCache cache)
{
    public async Task RunAsync(Operation op, ExecutePlanRequest request, ExecutionRecord record, SparkConnectHold? hold)
    {
        await Task.Yield();
        if (!op.TryStart())
        {
            record.End("CANCELED", "OPERATION_CANCELED");
            op.Fail(SparkError.Canceled());
            return;
        }
        try
        {
            var publisher = new ResponsePublisher(op, record, hold);
            if (request.Plan.OpTypeCase == Plan.OpTypeOneofCase.Root) await RootAsync(request.Plan.Root, publisher, record);
            else await SqlCommandAsync(request.Plan.Command.SqlCommand, publisher, record);
            if (!op.TryComplete(op.Reattachable ? Responses.ResultComplete() : null, () => record.End("FINISHED"))) throw SparkError.Canceled();
        }
        catch (Exception e)
        {
            var error = op.Interrupted ? SparkError.Canceled() : e as SparkError ?? SparkError.Internal(e.Message);
            record.End(error.ErrorClass == "OPERATION_CANCELED" ? "CANCELED" : "FAILED", error.ErrorClass);
            op.Fail(error);
        }
    }

    private async Task RootAsync(Relation root, ResponsePublisher publisher, ExecutionRecord record)
    {
        record.Planned(root.Sql?.Query, root.Sql is null ? null : SqlArguments.Of(root.Sql));
        var plan = PlanRoot(root, publisher.Operation.Session.Config.TimeZone);
        await new QueryStreamer(db, options, cache, publisher, record).StreamAsync(plan, root.Common?.PlanId ?? 0);
    }

    private async Task SqlCommandAsync(SqlCommand command, ResponsePublisher publisher, ExecutionRecord record)
    {
        var relation = command.Input ?? LegacyRelation(command);
        if (relation.RelTypeCase != Relation.RelTypeOneofCase.Sql) throw SparkError.Internal($"The fixture runs SQL commands over SQL relations only, not {relation.RelTypeCase}.");
        var args = SqlArguments.Of(relation.Sql);
        record.Planned(relation.Sql.Query, args);
        var op = publisher.Operation;
        using var connection = db.Open(op.Session.Config.TimeZone);
        var plan = CatalogCommands.Recognizes(relation.Sql.Query)
            ? CatalogCommands.Plan(relation.Sql.Query, new SparkCatalogReader(connection))
            : SqlStatements.Plan(relation.Sql.Query, args);
        record.Ran(plan.DuckDb);
        Relation result;
        long rows = 0;
        if (plan.Kind == StatementKind.Query)
        {
            QueryResult.Describe(connection, plan);
            result = relation.Clone();
        }
        else
        {
            (result, rows) = RunEagerly(connection, plan, op);
        }
        await publisher.PublishAsync(Responses.SqlCommandResult(result));
        await publisher.PublishAsync(Responses.Metrics(rows, relation.Common?.PlanId ?? 0));
    }

    /// <summary>
    /// The DuckDB plan of a root relation; catalog lookups and the catalog commands DuckDB lacks read DuckDB's catalog
    /// first (<see cref="CatalogRelations"/>, <see cref="CatalogCommands"/>).
    /// </summary>
    private SqlPlan PlanRoot(Relation root, string timeZone)
    {
        var catalogCommand = root.RelTypeCase == Relation.RelTypeOneofCase.Sql && CatalogCommands.Recognizes(root.Sql.Query);
        if (root.RelTypeCase != Relation.RelTypeOneofCase.Catalog && !catalogCommand) return RelationPlans.Plan(root);
        using var connection = db.Open(timeZone);
        var reader = new SparkCatalogReader(connection);
        return catalogCommand ? CatalogCommands.Plan(root.Sql.Query, reader) : CatalogRelations.Plan(root.Catalog, reader);
    }

    /// <summary>A command's rows as Spark returns them: one Arrow IPC stream in a LocalRelation (no columns for DDL and DML).</summary>
    private static (Relation, long) RunEagerly(DuckDB.NET.Data.DuckDBConnection connection, SqlPlan plan, Operation op)
    {
        CancellationTokenRegistration registration = default;
        using var result = QueryResult.Open(connection, plan, cmd => registration = op.Stopping.Register(cmd.Cancel));
        using var _ = registration;
        var encoder = new ArrowBatchEncoder(result.Fields, op.Session.Config.TimeZone);
        var values = new object?[result.Columns.Count];
        while (result.ReadRow(values)) encoder.AppendRow(values);
        var rows = encoder.Rows;
        var local = new LocalRelation { Data = ByteString.CopyFrom(encoder.Flush()) };
        return (new Relation { LocalRelation = local }, rows);
    }

    /// <summary>The SQL relation of a SqlCommand from its deprecated fields (clients before Spark 4 send those).</summary>
    private static Relation LegacyRelation(SqlCommand command)
    {
#pragma warning disable CS0612 // the deprecated fields are what older clients send
        var sql = new SQL { Query = command.Sql };
        sql.Args.Add(command.Args);
        sql.PosArgs.Add(command.PosArgs);
        sql.NamedArguments.Add(command.NamedArguments);
        sql.PosArguments.Add(command.PosArguments);
#pragma warning restore CS0612
        return new Relation { Sql = sql };
    }
}
