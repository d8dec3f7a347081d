using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;
using KernelGateway.Tests.Fixtures.Spark.Connect.Results;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Plans;

/// <summary>An expression of a DataFrame plan as DuckDB SQL, and the column name Spark would give it unaliased
/// (<c>(a + 1)</c>, <c>sum(x)</c>, <c>count(DISTINCT x)</c>, <c>CAST(a AS BIGINT)</c>); <see cref="Alias"/> is set when
/// the plan names it.</summary>
internal sealed record SqlExpression(string Sql, string Name, string? Alias = null)
{
    public string OutputName => Alias ?? Name;
}

/// <summary>
/// Translates Spark Connect expressions to DuckDB SQL: literals, unresolved attributes (Spark's multi-part names with
/// back quotes), unresolved functions (the comparison, boolean and arithmetic operators Spark Connect sends as
/// functions — <c>==</c>, <c>!=</c>, <c>&lt;</c>, <c>and</c>, <c>not</c>, <c>+</c>, <c>%</c>… — and named functions such
/// as <c>sum</c>, <c>count</c>, <c>avg</c>, <c>min</c>, <c>max</c>, passed through by name), aliases, casts, SQL
/// expression strings (Spark SQL, rewritten like queries), <c>*</c> and sort orders.
/// </summary>
internal static class ExpressionSql
{
    private static readonly Dictionary<string, string> BinaryOperators = new(StringComparer.OrdinalIgnoreCase)
    {
        ["=="] = "=", ["="] = "=", ["!="] = "<>", ["<>"] = "<>", ["<"] = "<", ["<="] = "<=", [">"] = ">", [">="] = ">=",
        ["and"] = "AND", ["or"] = "OR", ["+"] = "+", ["-"] = "-", ["*"] = "*", ["/"] = "/", ["%"] = "%",
        ["<=>"] = "IS NOT DISTINCT FROM", ["like"] = "LIKE",
    };

    public static SqlExpression Translate(Expression e) => e.ExprTypeCase switch
    {
        Expression.ExprTypeOneofCase.Literal => Literal(e.Literal),
        Expression.ExprTypeOneofCase.UnresolvedAttribute => Attribute(e.UnresolvedAttribute.UnparsedIdentifier),
        Expression.ExprTypeOneofCase.UnresolvedFunction => Function(e.UnresolvedFunction),
        Expression.ExprTypeOneofCase.ExpressionString => new(SparkSqlRewriter.Rewrite(e.ExpressionString.Expression).DuckDb, e.ExpressionString.Expression),
        Expression.ExprTypeOneofCase.UnresolvedStar => Star(e.UnresolvedStar),
        Expression.ExprTypeOneofCase.Alias => Translate(e.Alias.Expr) with { Alias = string.Join(".", e.Alias.Name) },
        Expression.ExprTypeOneofCase.Cast => Cast(e.Cast),
        Expression.ExprTypeOneofCase.SortOrder => SortOrder(e.SortOrder),
        _ => throw SparkError.Internal($"The fixture does not support {e.ExprTypeCase} expressions."),
    };

    private static SqlExpression Literal(Expression.Types.Literal l)
    {
        var v = LiteralValue.Of(l);
        return new(v.Sql, v.Shown);
    }

    private static SqlExpression Attribute(string unparsed)
    {
        var parts = Identifiers.Parse(unparsed);
        return new(string.Join(".", parts.Select(SparkSqlRewriter.QuoteIdentifier)), parts[^1]);
    }

    private static SqlExpression Star(Expression.Types.UnresolvedStar s)
    {
        if (!s.HasUnparsedTarget) return new("*", "*");
        var target = Identifiers.Parse(s.UnparsedTarget.EndsWith(".*", StringComparison.Ordinal) ? s.UnparsedTarget[..^2] : s.UnparsedTarget);
        return new(string.Join(".", target.Select(SparkSqlRewriter.QuoteIdentifier)) + ".*", s.UnparsedTarget);
    }

    private static SqlExpression Cast(Expression.Types.Cast c)
    {
        var inner = Translate(c.Expr);
        var (duck, shown) = c.CastToTypeCase == Expression.Types.Cast.CastToTypeOneofCase.Type
            ? (ProtoTypes.DuckName(ProtoTypes.FromProto(c.Type)), ProtoTypes.FromProto(c.Type).SqlName)
            : (SparkTypeSyntax.ToDuckDb(c.TypeStr), c.TypeStr.ToUpperInvariant());
        var keyword = c.EvalMode == Expression.Types.Cast.Types.EvalMode.Try ? "TRY_CAST" : "CAST";
        return new($"{keyword}({inner.Sql} AS {duck})", $"{keyword}({inner.Name} AS {shown})");
    }

    /// <summary>A sort key: Spark's default null order is NULLS FIRST ascending and NULLS LAST descending (DuckDB's is
    /// NULLS LAST both ways), so it is always written out.</summary>
    public static SqlExpression SortOrder(Expression.Types.SortOrder o)
    {
        var child = Translate(o.Child);
        var descending = o.Direction == Expression.Types.SortOrder.Types.SortDirection.Descending;
        var nullsFirst = o.NullOrdering switch
        {
            Expression.Types.SortOrder.Types.NullOrdering.SortNullsFirst => true,
            Expression.Types.SortOrder.Types.NullOrdering.SortNullsLast => false,
            _ => !descending,
        };
        var sql = $"{child.Sql} {(descending ? "DESC" : "ASC")} NULLS {(nullsFirst ? "FIRST" : "LAST")}";
        return new(sql, $"{child.Name} {(descending ? "DESC" : "ASC")} NULLS {(nullsFirst ? "FIRST" : "LAST")}");
    }

    private static SqlExpression Function(Expression.Types.UnresolvedFunction f)
    {
        var args = f.Arguments.Select(Translate).ToList();
        var name = f.FunctionName;
        if (args.Count == 2 && BinaryOperators.TryGetValue(name, out var op))
        {
            var shown = op is "IS NOT DISTINCT FROM" ? "<=>" : op == "<>" ? "!=" : name == "==" ? "=" : op;
            return new($"({args[0].Sql} {op} {args[1].Sql})", $"({args[0].Name} {shown} {args[1].Name})");
        }
        return (name.ToLowerInvariant(), args.Count) switch
        {
            ("not" or "!", 1) => new($"(NOT {args[0].Sql})", $"(NOT {args[0].Name})"),
            ("negative" or "-", 1) => new($"(- {args[0].Sql})", $"(- {args[0].Name})"),
            ("isnull", 1) => new($"({args[0].Sql} IS NULL)", $"({args[0].Name} IS NULL)"),
            ("isnotnull", 1) => new($"({args[0].Sql} IS NOT NULL)", $"({args[0].Name} IS NOT NULL)"),
            ("in", > 0) => new($"({args[0].Sql} IN ({string.Join(", ", args.Skip(1).Select(a => a.Sql))}))",
                $"({args[0].Name} IN ({string.Join(", ", args.Skip(1).Select(a => a.Name))}))"),
            ("mean", 1) => Call("avg", args, f.IsDistinct, "avg"),
            ("count", 1) when args[0].Sql == "*" => new("count(*)", "count(1)"),
            _ => Call(name, args, f.IsDistinct, name),
        };
    }

    private static SqlExpression Call(string duckName, List<SqlExpression> args, bool distinct, string sparkName)
    {
        var d = distinct ? "DISTINCT " : "";
        var sql = $"{duckName}({d}{string.Join(", ", args.Select(a => a.Sql))})";
        return new(sql, $"{sparkName}({d}{string.Join(", ", args.Select(a => a.Name))})");
    }
}

/// <summary>Spark's multi-part identifiers: dot-separated parts, each plain or back-quoted (<c>`a.b`.c</c>).</summary>
internal static class Identifiers
{
    public static IReadOnlyList<string> Parse(string unparsed)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < unparsed.Length; i++)
        {
            var c = unparsed[i];
            if (c == '`')
            {
                for (i++; i < unparsed.Length; i++)
                {
                    if (unparsed[i] == '`' && i + 1 < unparsed.Length && unparsed[i + 1] == '`') { current.Append('`'); i++; }
                    else if (unparsed[i] == '`') break;
                    else current.Append(unparsed[i]);
                }
            }
            else if (c == '.') { parts.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        parts.Add(current.ToString());
        return parts;
    }

    public static string Quoted(string unparsed) => string.Join(".", Parse(unparsed).Select(SparkSqlRewriter.QuoteIdentifier));

    /// <summary>Spark's quoting of a name in messages (toSQLId): each part in back quotes.</summary>
    public static string SqlId(IEnumerable<string> parts) => string.Join(".", parts.Select(p => "`" + p.Replace("`", "``") + "`"));
}
