using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Platform.Spark.Connect.Proto;
using static KernelGateway.Platform.Spark.Connect.Functions;
using SortOrder = KernelGateway.Platform.Spark.Connect.Proto.Expression.Types.SortOrder;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>
/// The typed API builds the relation trees Spark's clients send (relations.proto, expressions.proto); nothing runs on a
/// server. Expected function names are PySpark's (python/pyspark/sql/connect/column.py).
/// </summary>
public sealed class SparkFrameTests : IAsyncLifetime
{
    private readonly SparkConnectClient _client = new("sc://127.0.0.1:9/");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public void Each_step_wraps_the_previous_plan_as_its_input()
    {
        var frame = _client.Table("db.sales").Where(Col("amount") > 100).Select("region", "amount").OrderBy(Col("amount").Desc()).Limit(5);
        var limit = frame.Relation.Limit;
        Assert.Equal(5, limit.Limit_);
        var sort = limit.Input.Sort;
        Assert.True(sort.IsGlobal);
        var order = Assert.Single(sort.Order);
        Assert.Equal((SortOrder.Types.SortDirection.Descending, SortOrder.Types.NullOrdering.SortNullsLast), (order.Direction, order.NullOrdering));
        Assert.Equal("amount", order.Child.UnresolvedAttribute.UnparsedIdentifier);
        var project = sort.Input.Project;
        Assert.Equal(["region", "amount"], project.Expressions.Select(e => e.UnresolvedAttribute.UnparsedIdentifier));
        var filter = project.Input.Filter;
        Assert.Equal(">", filter.Condition.UnresolvedFunction.FunctionName);
        Assert.Equal("amount", filter.Condition.UnresolvedFunction.Arguments[0].UnresolvedAttribute.UnparsedIdentifier);
        Assert.Equal(100, filter.Condition.UnresolvedFunction.Arguments[1].Literal.Integer);
        Assert.Equal("db.sales", filter.Input.Read.NamedTable.UnparsedIdentifier);
    }

    [Fact]
    public void Frames_are_immutable_a_step_never_changes_the_frame_it_started_from()
    {
        var table = _client.Table("t");
        var before = table.Relation.Clone();
        var filtered = table.Where("a > 1");
        _ = table.Limit(3);
        Assert.Equal(before, table.Relation);
        Assert.NotSame(table, filtered);
        Assert.Same(table.Relation, filtered.Relation.Filter.Input);
    }

    [Fact]
    public void A_string_condition_is_an_expression_string_parsed_by_the_server()
    {
        var filter = _client.Sql("SELECT 1 AS a").Where("a > 1").Relation.Filter;
        Assert.Equal("a > 1", filter.Condition.ExpressionString.Expression);
        Assert.Equal("SELECT 1 AS a", filter.Input.Sql.Query);
    }

    [Fact]
    public void Operators_send_the_function_names_pysparks_column_sends()
    {
        Assert.Equal("==", Call(Col("a") == 1).FunctionName);
        var notEqual = Call(Col("a") != 1);
        Assert.Equal("not", notEqual.FunctionName);
        Assert.Equal("==", Assert.Single(notEqual.Arguments).UnresolvedFunction.FunctionName);
        Assert.Equal(["<", "<=", ">", ">=", "and", "or", "not", "+", "-", "*", "/", "%", "negative"],
            new[]
            {
                Col("a") < 1, Col("a") <= 1, Col("a") > 1, Col("a") >= 1, (Col("a") > 1) & (Col("b") < 2), (Col("a") > 1) | Col("c"), !Col("c"),
                Col("a") + 1, Col("a") - 1, Col("a") * 2, Col("a") / 2, Col("a") % 2, -Col("a"),
            }.Select(c => Call(c).FunctionName));
        var and = Call((Col("a") > 1) & (Col("b") < 2));
        Assert.Equal([">", "<"], and.Arguments.Select(a => a.UnresolvedFunction.FunctionName));
    }

    [Fact]
    public void Csharp_values_and_null_become_literals_on_either_side()
    {
        var isNull = Call(Col("a") == null);
        Assert.Equal(Expression.Types.Literal.LiteralTypeOneofCase.Null, isNull.Arguments[1].Literal.LiteralTypeCase);
        Assert.Equal("x", Call(Col("a") == "x").Arguments[1].Literal.String);
        Assert.Equal(10L, Call(10L - Col("a")).Arguments[0].Literal.Long);
        Assert.Equal(19723, Call(Col("d") >= new DateOnly(2024, 1, 1)).Arguments[1].Literal.Date);
    }

    [Fact]
    public void Group_by_with_aggregates_is_a_groupby_aggregate()
    {
        var aggregate = _client.Table("t").GroupBy("region").Agg(Sum("amount").Alias("total"), Count("*"), Avg(Col("x")), Min("y"), Max("z"), CountDistinct(Col("w"))).Relation.Aggregate;
        Assert.Equal(Aggregate.Types.GroupType.Groupby, aggregate.GroupType);
        Assert.Equal("region", Assert.Single(aggregate.GroupingExpressions).UnresolvedAttribute.UnparsedIdentifier);
        var alias = aggregate.AggregateExpressions[0].Alias;
        Assert.Equal(["total"], alias.Name);
        Assert.Equal("sum", alias.Expr.UnresolvedFunction.FunctionName);
        var count = aggregate.AggregateExpressions[1].UnresolvedFunction;
        Assert.Equal("count", count.FunctionName);
        Assert.Equal(Expression.ExprTypeOneofCase.UnresolvedStar, Assert.Single(count.Arguments).ExprTypeCase);
        Assert.Equal(["avg", "min", "max", "count"], aggregate.AggregateExpressions.Skip(2).Select(e => e.UnresolvedFunction.FunctionName));
        Assert.True(aggregate.AggregateExpressions[5].UnresolvedFunction.IsDistinct);
        Assert.False(count.IsDistinct);
    }

    [Fact]
    public void Order_by_defaults_to_ascending_nulls_first_and_keeps_explicit_orders()
    {
        var sort = _client.Table("t").OrderBy(Col("a"), Col("b").Asc(), Col("c").AscNullsLast(), Col("d").DescNullsFirst(), Col("e").Desc()).Relation.Sort;
        Assert.Equal(
            [(SortOrder.Types.SortDirection.Ascending, SortOrder.Types.NullOrdering.SortNullsFirst),
             (SortOrder.Types.SortDirection.Ascending, SortOrder.Types.NullOrdering.SortNullsFirst),
             (SortOrder.Types.SortDirection.Ascending, SortOrder.Types.NullOrdering.SortNullsLast),
             (SortOrder.Types.SortDirection.Descending, SortOrder.Types.NullOrdering.SortNullsFirst),
             (SortOrder.Types.SortDirection.Descending, SortOrder.Types.NullOrdering.SortNullsLast)],
            sort.Order.Select(o => (o.Direction, o.NullOrdering)));
        Assert.Equal(["a", "b", "c", "d", "e"], sort.Order.Select(o => o.Child.UnresolvedAttribute.UnparsedIdentifier));
        Assert.Equal("a", _client.Table("t").OrderBy("a").Relation.Sort.Order[0].Child.UnresolvedAttribute.UnparsedIdentifier);
    }

    [Fact]
    public void Stars_casts_and_expressions_are_their_own_expression_kinds()
    {
        var project = _client.Table("t").Select(Col("*"), Col("t.*"), Col("a").Cast("decimal(10,2)"), Expr("a + 1"), Col("b").IsNull()).Relation.Project;
        Assert.False(project.Expressions[0].UnresolvedStar.HasUnparsedTarget);
        Assert.Equal("t.*", project.Expressions[1].UnresolvedStar.UnparsedTarget);
        Assert.Equal("decimal(10,2)", project.Expressions[2].Cast.TypeStr);
        Assert.Equal("a + 1", project.Expressions[3].ExpressionString.Expression);
        Assert.Equal("isNull", project.Expressions[4].UnresolvedFunction.FunctionName);
    }

    [Fact]
    public void Sql_frames_carry_their_parameters()
    {
        var sql = _client.Sql("SELECT * FROM t WHERE id = :id", new { id = 3L }).Relation.Sql;
        Assert.Equal(3L, sql.NamedArguments["id"].Literal.Long);
    }

    private static Expression.Types.UnresolvedFunction Call(Column column) => column.Expression.UnresolvedFunction;
}
