using System.Runtime.CompilerServices;
using KernelGateway.Platform.Spark.Connect.Proto;
using SortOrder = KernelGateway.Platform.Spark.Connect.Proto.Expression.Types.SortOrder;

namespace KernelGateway.Platform.Spark.Connect;

/// <summary>
/// A column expression of a <see cref="SparkFrame"/>, built with <see cref="Functions"/> (<c>Col("x")</c>,
/// <c>Lit(1)</c>, <c>Sum(...)</c>) and operators, as in PySpark. Operators become the functions Spark's own clients
/// send: <c>==</c> is <c>==</c>, <c>!=</c> is <c>not(==)</c>, <c>&lt; &lt;= &gt; &gt;=</c>, <c>&amp;</c> is
/// <c>and</c>, <c>|</c> is <c>or</c>, <c>!</c> is <c>not</c>, <c>+ - * / %</c>, unary <c>-</c> is
/// <c>negative</c>. C# values convert to literals (<c>Col("a") &gt; 1</c>). As PySpark's <c>==</c>, the operators
/// build expressions: <c>==</c> does not compare columns (<see cref="Equals(object?)"/> is reference equality).
/// </summary>
public sealed class Column
{
    internal Column(Expression expression) => Expression = expression;

    /// <summary>The expression (never modified once made).</summary>
    internal Expression Expression { get; }

    /// <summary>Names the column (<c>AS name</c>).</summary>
    public Column Alias(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var alias = new Expression.Types.Alias { Expr = Expression };
        alias.Name.Add(name);
        return new(new Expression { Alias = alias });
    }

    /// <summary>Ascending order, nulls first (PySpark's <c>asc()</c>).</summary>
    public Column Asc() => Order(SortOrder.Types.SortDirection.Ascending, SortOrder.Types.NullOrdering.SortNullsFirst);

    /// <summary>Ascending order, nulls last.</summary>
    public Column AscNullsLast() => Order(SortOrder.Types.SortDirection.Ascending, SortOrder.Types.NullOrdering.SortNullsLast);

    /// <summary>Descending order, nulls last (PySpark's <c>desc()</c>).</summary>
    public Column Desc() => Order(SortOrder.Types.SortDirection.Descending, SortOrder.Types.NullOrdering.SortNullsLast);

    /// <summary>Descending order, nulls first.</summary>
    public Column DescNullsFirst() => Order(SortOrder.Types.SortDirection.Descending, SortOrder.Types.NullOrdering.SortNullsFirst);

    /// <summary>The value as another type, named as in Spark SQL (<c>bigint</c>, <c>decimal(10,2)</c>, <c>string</c>).</summary>
    public Column Cast(string type)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        return new(new Expression { Cast = new Expression.Types.Cast { Expr = Expression, TypeStr = type } });
    }

    /// <summary>True where the value is null.</summary>
    public Column IsNull() => Functions.Call("isNull", this);

    /// <summary>True where the value is not null.</summary>
    public Column IsNotNull() => Functions.Call("isNotNull", this);

    /// <summary>The column sorted as it is, or ascending (nulls first) when it has no order of its own.</summary>
    internal SortOrder SortOrder => Expression.ExprTypeCase == Expression.ExprTypeOneofCase.SortOrder
        ? Expression.SortOrder
        : new SortOrder { Child = Expression, Direction = SortOrder.Types.SortDirection.Ascending, NullOrdering = SortOrder.Types.NullOrdering.SortNullsFirst };

#pragma warning disable CS1591 // the operators are described in the class remarks
    public static Column operator ==(Column? left, Column? right) => Functions.Call("==", Operand(left), Operand(right));
    public static Column operator !=(Column? left, Column? right) => Functions.Call("not", Functions.Call("==", Operand(left), Operand(right)));
    public static Column operator <(Column? left, Column? right) => Functions.Call("<", Operand(left), Operand(right));
    public static Column operator <=(Column? left, Column? right) => Functions.Call("<=", Operand(left), Operand(right));
    public static Column operator >(Column? left, Column? right) => Functions.Call(">", Operand(left), Operand(right));
    public static Column operator >=(Column? left, Column? right) => Functions.Call(">=", Operand(left), Operand(right));
    public static Column operator &(Column? left, Column? right) => Functions.Call("and", Operand(left), Operand(right));
    public static Column operator |(Column? left, Column? right) => Functions.Call("or", Operand(left), Operand(right));
    public static Column operator !(Column? operand) => Functions.Call("not", Operand(operand));
    public static Column operator +(Column? left, Column? right) => Functions.Call("+", Operand(left), Operand(right));
    public static Column operator -(Column? left, Column? right) => Functions.Call("-", Operand(left), Operand(right));
    public static Column operator *(Column? left, Column? right) => Functions.Call("*", Operand(left), Operand(right));
    public static Column operator /(Column? left, Column? right) => Functions.Call("/", Operand(left), Operand(right));
    public static Column operator %(Column? left, Column? right) => Functions.Call("%", Operand(left), Operand(right));
    public static Column operator -(Column? operand) => Functions.Call("negative", Operand(operand));

    public static implicit operator Column(bool value) => Functions.Lit(value);
    public static implicit operator Column(int value) => Functions.Lit(value);
    public static implicit operator Column(long value) => Functions.Lit(value);
    public static implicit operator Column(double value) => Functions.Lit(value);
    public static implicit operator Column(decimal value) => Functions.Lit(value);
    public static implicit operator Column(string value) => Functions.Lit(value);
    public static implicit operator Column(DateOnly value) => Functions.Lit(value);
    public static implicit operator Column(DateTime value) => Functions.Lit(value);
    public static implicit operator Column(DateTimeOffset value) => Functions.Lit(value);
    public static implicit operator Column(TimeSpan value) => Functions.Lit(value);
#pragma warning restore CS1591

    /// <summary>Reference equality: <c>==</c> builds an expression (see the class remarks).</summary>
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc />
    public override int GetHashCode() => RuntimeHelpers.GetHashCode(this);

    /// <summary>The expression as the protocol's JSON, for reading.</summary>
    public override string ToString() => Expression.ToString();

    /// <summary>A null operand (C#'s <c>null</c>) is Spark's NULL literal.</summary>
    private static Column Operand(Column? column) => column ?? Functions.Lit(null);

    private Column Order(SortOrder.Types.SortDirection direction, SortOrder.Types.NullOrdering nulls)
    {
        var child = Expression.ExprTypeCase == Expression.ExprTypeOneofCase.SortOrder ? Expression.SortOrder.Child : Expression;
        return new(new Expression { SortOrder = new SortOrder { Child = child, Direction = direction, NullOrdering = nulls } });
    }
}
