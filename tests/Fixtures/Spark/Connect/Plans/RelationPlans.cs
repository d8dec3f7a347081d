using System.Globalization;
using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Plans;

/// <summary>
/// Translates a Spark Connect relation tree into one DuckDB query, each relation a sub-select of its input: read
/// (named table), project, filter, sort, limit, offset, range, aggregate (GROUP BY, ROLLUP, CUBE) and SQL (a root SQL
/// relation keeps its statement kind, so commands run as Spark runs them). Unaliased expressions are named as Spark
/// names them.
/// </summary>
internal sealed class RelationPlans
{
    private readonly List<BoundParameter> _parameters = [];
    private int _aliases;

    public static SqlPlan Plan(Relation root)
    {
        if (root.RelTypeCase == Relation.RelTypeOneofCase.Sql) return SqlStatements.Plan(root.Sql.Query, SqlArguments.Of(root.Sql));
        var plans = new RelationPlans();
        var sql = plans.Query(root);
        return new SqlPlan(sql, plans._parameters, StatementKind.Query);
    }

    private string Query(Relation r) => r.RelTypeCase switch
    {
        Relation.RelTypeOneofCase.Read => Read(r.Read),
        Relation.RelTypeOneofCase.Project => Project(r.Project),
        Relation.RelTypeOneofCase.Filter => $"SELECT * FROM {From(r.Filter.Input)} WHERE {ExpressionSql.Translate(r.Filter.Condition).Sql}",
        Relation.RelTypeOneofCase.Sort => $"SELECT * FROM {From(r.Sort.Input)} ORDER BY {string.Join(", ", r.Sort.Order.Select(o => ExpressionSql.SortOrder(o).Sql))}",
        Relation.RelTypeOneofCase.Limit => $"SELECT * FROM {From(r.Limit.Input)} LIMIT {r.Limit.Limit_.ToString(CultureInfo.InvariantCulture)}",
        Relation.RelTypeOneofCase.Offset => $"SELECT * FROM {From(r.Offset.Input)} OFFSET {r.Offset.Offset_.ToString(CultureInfo.InvariantCulture)}",
        Relation.RelTypeOneofCase.Range => Range(r.Range),
        Relation.RelTypeOneofCase.Aggregate => Aggregate(r.Aggregate),
        Relation.RelTypeOneofCase.Sql => Sql(r.Sql),
        _ => throw SparkError.Internal($"The fixture does not support {r.RelTypeCase} relations."),
    };

    private string From(Relation input) => $"({Query(input)}) AS _r{++_aliases}";

    private static string Read(Read read)
    {
        if (read.ReadTypeCase != Proto.Read.ReadTypeOneofCase.NamedTable) throw SparkError.Internal("The fixture reads named tables only.");
        return "SELECT * FROM " + Identifiers.Quoted(read.NamedTable.UnparsedIdentifier);
    }

    private string Project(Project p)
    {
        var items = string.Join(", ", p.Expressions.Select(e => SelectItem(ExpressionSql.Translate(e))));
        return p.Input is null ? $"SELECT {items}" : $"SELECT {items} FROM {From(p.Input)}";
    }

    private static string SelectItem(SqlExpression e) => e.Sql.EndsWith('*') && e.Alias is null ? e.Sql : $"{e.Sql} AS {SparkSqlRewriter.QuoteIdentifier(e.OutputName)}";

    private static string Range(Proto.Range r)
    {
        var start = r.HasStart ? r.Start : 0;
        return $"SELECT range AS id FROM range({start.ToString(CultureInfo.InvariantCulture)}, {r.End.ToString(CultureInfo.InvariantCulture)}, {r.Step.ToString(CultureInfo.InvariantCulture)})";
    }

    /// <summary>Spark's output is the grouping expressions, then the aggregate expressions.</summary>
    private string Aggregate(Aggregate a)
    {
        var groups = a.GroupingExpressions.Select(ExpressionSql.Translate).ToList();
        var items = groups.Concat(a.AggregateExpressions.Select(ExpressionSql.Translate)).Select(SelectItem);
        var keys = string.Join(", ", groups.Select(g => g.Sql));
        var groupBy = groups.Count == 0 ? "" : a.GroupType switch
        {
            Proto.Aggregate.Types.GroupType.Rollup => $" GROUP BY ROLLUP ({keys})",
            Proto.Aggregate.Types.GroupType.Cube => $" GROUP BY CUBE ({keys})",
            Proto.Aggregate.Types.GroupType.Groupby or Proto.Aggregate.Types.GroupType.Unspecified => " GROUP BY " + keys,
            _ => throw SparkError.Internal($"The fixture does not support {a.GroupType} aggregation."),
        };
        return $"SELECT {string.Join(", ", items)} FROM {From(a.Input)}{groupBy}";
    }

    private string Sql(SQL sql)
    {
        var plan = SqlStatements.Plan(sql.Query, SqlArguments.Of(sql));
        foreach (var p in plan.Parameters) if (_parameters.All(x => x.DuckName != p.DuckName)) _parameters.Add(p);
        return plan.DuckDb;
    }
}
