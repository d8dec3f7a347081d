using KernelGateway.Platform.Spark.Connect.Proto;

namespace KernelGateway.Platform.Spark.Connect;

/// <summary>
/// The column functions of the typed API, as PySpark's <c>pyspark.sql.functions</c> (<c>using static
/// KernelGateway.Platform.Spark.Connect.Functions;</c> to write <c>Col("x")</c>). Each builds the expression Spark's
/// own clients send: a column reference (<c>unresolved_attribute</c>, or <c>unresolved_star</c> for <c>*</c> and
/// <c>t.*</c>), a literal, a SQL expression string, or a function call by name (<c>unresolved_function</c>).
/// </summary>
public static class Functions
{
    /// <summary>A column by name (<c>a</c>, <c>t.a</c>, <c>`odd name`</c>); <c>*</c> or <c>t.*</c> for every column.</summary>
    public static Column Col(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name == "*") return new(new Expression { UnresolvedStar = new Expression.Types.UnresolvedStar() });
        if (name.EndsWith(".*", StringComparison.Ordinal)) return new(new Expression { UnresolvedStar = new Expression.Types.UnresolvedStar { UnparsedTarget = name } });
        return new(new Expression { UnresolvedAttribute = new Expression.Types.UnresolvedAttribute { UnparsedIdentifier = name } });
    }

    /// <summary>A literal (the C# value's Spark type: see <see cref="SparkConnectClient.Execute(string, object?, SparkExecuteOptions?, CancellationToken)"/>'s parameters); a column is returned as it is.</summary>
    /// <exception cref="ArgumentException">The value has no Spark literal.</exception>
    public static Column Lit(object? value) => value as Column ?? new(new Expression { Literal = SparkLiterals.From(value) });

    /// <summary>A SQL expression, parsed by the server (<c>Expr("a + 1 &gt; b")</c>).</summary>
    public static Column Expr(string expression)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        return new(new Expression { ExpressionString = new Expression.Types.ExpressionString { Expression = expression } });
    }

    /// <summary>The sum of a column.</summary>
    public static Column Sum(Column column) => Call("sum", column);

    /// <summary>The sum of a column, by name.</summary>
    public static Column Sum(string column) => Sum(Col(column));

    /// <summary>The number of non-null values of a column (<c>Count("*")</c>: of rows).</summary>
    public static Column Count(Column column) => Call("count", column);

    /// <summary>The number of non-null values of a column by name (<c>*</c>: of rows).</summary>
    public static Column Count(string column) => Count(Col(column));

    /// <summary>The number of distinct non-null values of columns.</summary>
    public static Column CountDistinct(params Column[] columns) => Call("count", distinct: true, columns);

    /// <summary>The average of a column.</summary>
    public static Column Avg(Column column) => Call("avg", column);

    /// <summary>The average of a column, by name.</summary>
    public static Column Avg(string column) => Avg(Col(column));

    /// <summary>The smallest value of a column.</summary>
    public static Column Min(Column column) => Call("min", column);

    /// <summary>The smallest value of a column, by name.</summary>
    public static Column Min(string column) => Min(Col(column));

    /// <summary>The largest value of a column.</summary>
    public static Column Max(Column column) => Call("max", column);

    /// <summary>The largest value of a column, by name.</summary>
    public static Column Max(string column) => Max(Col(column));

    /// <summary>Any Spark SQL function by name (<c>Call("upper", Col("name"))</c>).</summary>
    public static Column Call(string function, params Column[] arguments) => Call(function, distinct: false, arguments);

    private static Column Call(string function, bool distinct, Column[] arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(function);
        var call = new Expression.Types.UnresolvedFunction { FunctionName = function, IsDistinct = distinct };
        call.Arguments.AddRange(arguments.Select(a => (a ?? Lit(null)).Expression));
        return new(new Expression { UnresolvedFunction = call });
    }
}
