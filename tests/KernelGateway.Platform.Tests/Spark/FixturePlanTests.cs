using KernelGateway.Tests.Fixtures.Spark.Connect;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;
using static KernelGateway.Platform.Tests.Spark.FixtureSessionTests;
using static KernelGateway.Platform.Tests.Spark.SparkProtocolClient;
using Literal = KernelGateway.Tests.Fixtures.Spark.Connect.Proto.Expression.Types.Literal;
using SortOrder = KernelGateway.Tests.Fixtures.Spark.Connect.Proto.Expression.Types.SortOrder;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>DataFrame plans (relations and expressions as Spark Connect clients build them) and the older SqlCommand
/// fields, run by the Spark Connect fixture.</summary>
public sealed class FixturePlanTests
{
    private const string Setup = "CREATE TABLE sales AS SELECT * FROM (VALUES (1, 'east', 10.5), (2, 'west', 20.0), (3, 'east', NULL), (4, 'north', 7.25)) AS v(id, region, amount)";

    [Fact]
    public async Task Read_filter_project_sort_and_limit_run_as_one_query_with_Spark_column_names()
    {
        await using var server = await SparkConnectServer.StartAsync();
        await server.ExecuteDuckDbAsync(Setup);
        using var c = new SparkProtocolClient(server);
        var read = new Relation { Read = new Read { NamedTable = new Read.Types.NamedTable { UnparsedIdentifier = "spark_catalog.default.`sales`" } } };
        var filter = new Relation { Filter = new Filter { Input = read, Condition = Call(">=", Column("id"), Lit(new Literal { Integer = 2 })) } };
        var project = new Relation
        {
            Project = new Project
            {
                Input = filter,
                Expressions =
                {
                    Column("region"),
                    Call("+", Column("id"), Lit(new Literal { Long = 100 })),
                    new Expression { Alias = new Expression.Types.Alias { Expr = Column("amount"), Name = { "amt" } } },
                    new Expression { Cast = new Expression.Types.Cast { Expr = Column("id"), TypeStr = "string" } },
                },
            },
        };
        var sort = new Relation { Sort = new Sort { Input = project, Order = { Order(Column("amt"), descending: true) } } };
        var limit = new Relation { Limit = new Limit { Input = sort, Limit_ = 2 } };

        var (responses, error) = await c.ExecuteAsync(c.Request(new Plan { Root = limit }));

        Assert.Null(error);
        Assert.Equal(["region", "(id + 100)", "amt", "CAST(id AS STRING)"], responses[0].Schema.Struct.Fields.Select(f => f.Name));
        var rows = responses.Where(r => r.ArrowBatch is not null).SelectMany(r => Rows(r.ArrowBatch)).ToList();
        Assert.Equal([["west", 102L, 20.0m, "2"], ["north", 104L, 7.25m, "4"]], rows.Select(r => r.ToArray()));
        Assert.Equal("root.limit", Assert.Single(server.Executions).PlanKind);
        Assert.Null(server.Executions[0].Query);
    }

    [Fact]
    public async Task Aggregate_groups_and_names_columns_as_Spark_does()
    {
        await using var server = await SparkConnectServer.StartAsync();
        await server.ExecuteDuckDbAsync(Setup);
        using var c = new SparkProtocolClient(server);
        var read = new Relation { Read = new Read { NamedTable = new Read.Types.NamedTable { UnparsedIdentifier = "sales" } } };
        var aggregate = new Relation
        {
            Aggregate = new Aggregate
            {
                Input = read,
                GroupType = Aggregate.Types.GroupType.Groupby,
                GroupingExpressions = { Column("region") },
                AggregateExpressions = { Fn("count", Lit(new Literal { Integer = 1 })), Fn("sum", Column("id")), Fn("max", Column("amount")), Fn("avg", Column("id")) },
            },
        };
        var sorted = new Relation { Sort = new Sort { Input = aggregate, Order = { Order(Column("region"), descending: false) } } };

        var (responses, error) = await c.ExecuteAsync(c.Request(new Plan { Root = sorted }));

        Assert.Null(error);
        var fields = responses[0].Schema.Struct.Fields;
        Assert.Equal(["region", "count(1)", "sum(id)", "max(amount)", "avg(id)"], fields.Select(f => f.Name));
        Assert.Equal([DataType.KindOneofCase.String, DataType.KindOneofCase.Long, DataType.KindOneofCase.Long, DataType.KindOneofCase.Decimal, DataType.KindOneofCase.Double],
            fields.Select(f => f.DataType.KindCase));
        var rows = responses.Where(r => r.ArrowBatch is not null).SelectMany(r => Rows(r.ArrowBatch)).Select(r => r.ToArray()).ToList();
        Assert.Equal([["east", 2L, 4L, 10.5m, 2.0], ["north", 1L, 4L, 7.25m, 4.0], ["west", 1L, 2L, 20.0m, 2.0]], rows);
    }

    [Fact]
    public async Task A_SqlCommand_with_the_older_sql_and_args_fields_is_answered_like_one_with_an_input_relation()
    {
        await using var server = await SparkConnectServer.StartAsync();
        await server.ExecuteDuckDbAsync(Setup);
        using var c = new SparkProtocolClient(server);
#pragma warning disable CS0612 // the deprecated fields are what this test sends
        var command = new SqlCommand { Sql = "SELECT region FROM sales WHERE id = :id" };
        command.Args["id"] = new Literal { Integer = 4 };
#pragma warning restore CS0612

        var (responses, error) = await c.ExecuteAsync(c.Request(new Plan { Command = new Command { SqlCommand = command } }));
        var relation = responses[0].SqlCommandResult.Relation;
        var (rows, again) = await c.ExecuteAsync(c.Request(new Plan { Root = relation }));

        Assert.Null(error ?? again);
        Assert.Equal(["sql_command_result", "metrics"], responses.Select(Kind));
        Assert.Equal("SELECT region FROM sales WHERE id = :id", relation.Sql.Query);
        Assert.Equal([["north"]], rows.Where(r => r.ArrowBatch is not null).SelectMany(r => Rows(r.ArrowBatch)).Select(r => r.ToArray()));
        Assert.Equal(4, server.Executions[0].NamedArguments["id"]);
        Assert.Equal("command.sql_command", server.Executions[0].PlanKind);
    }

    private static Expression Column(string name) => new() { UnresolvedAttribute = new Expression.Types.UnresolvedAttribute { UnparsedIdentifier = name } };

    private static Expression Lit(Literal l) => new() { Literal = l };

    private static Expression Call(string name, params Expression[] args) => Fn(name, args);

    private static Expression Fn(string name, params Expression[] args) =>
        new() { UnresolvedFunction = new Expression.Types.UnresolvedFunction { FunctionName = name, Arguments = { args } } };

    private static SortOrder Order(Expression e, bool descending) => new()
    {
        Child = e,
        Direction = descending ? SortOrder.Types.SortDirection.Descending : SortOrder.Types.SortDirection.Ascending,
    };
}
