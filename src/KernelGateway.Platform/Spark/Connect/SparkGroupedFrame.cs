using KernelGateway.Platform.Spark.Connect.Proto;

namespace KernelGateway.Platform.Spark.Connect;

/// <summary>A frame grouped by columns (<see cref="SparkFrame.GroupBy(Column[])"/>), waiting for its aggregates.</summary>
public sealed class SparkGroupedFrame
{
    private readonly SparkFrame _frame;
    private readonly IReadOnlyList<Column> _grouping;

    internal SparkGroupedFrame(SparkFrame frame, IReadOnlyList<Column> grouping)
    {
        _frame = frame;
        _grouping = grouping;
    }

    /// <summary>One row per group: the grouping columns, then the aggregates (<c>Sum</c>, <c>Count</c>, <c>Avg</c>, ...).</summary>
    public SparkFrame Agg(params Column[] aggregates)
    {
        if (aggregates.Length == 0) throw new ArgumentException("Agg needs at least one aggregate, e.g. Functions.Count(\"*\")");
        var aggregate = new Aggregate { Input = _frame.Relation, GroupType = Aggregate.Types.GroupType.Groupby };
        aggregate.GroupingExpressions.AddRange(_grouping.Select(c => c.Expression));
        aggregate.AggregateExpressions.AddRange(aggregates.Select(c => c.Expression));
        return _frame.With(new Relation { Aggregate = aggregate });
    }

    /// <summary>The number of rows of each group, in a column named <c>count</c> (PySpark's <c>groupBy(...).count()</c>).</summary>
    public SparkFrame Count() => Agg(Functions.Count("*").Alias("count"));
}
