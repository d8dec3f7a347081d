using KernelGateway.Tests.Fixtures.Spark.Connect.Errors;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;
using Literal = KernelGateway.Tests.Fixtures.Spark.Connect.Proto.Expression.Types.Literal;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Plans;

/// <summary>The arguments of a parameterized Spark SQL statement: named (<c>:name</c>) or positional (<c>?</c>), each a literal.</summary>
internal sealed record SqlArguments(IReadOnlyDictionary<string, LiteralValue> Named, IReadOnlyList<LiteralValue> Positional)
{
    public static readonly SqlArguments None = new(new Dictionary<string, LiteralValue>(), []);

    /// <summary>The arguments of a SQL relation: <c>named_arguments</c> (expressions that must be literals) with the
    /// older <c>args</c>, or <c>pos_arguments</c> with the older <c>pos_args</c>.</summary>
#pragma warning disable CS0612 // args and pos_args are deprecated in Spark's protocol, and still sent by older clients
    public static SqlArguments Of(SQL sql) => Of(sql.Args, sql.PosArgs, sql.NamedArguments, sql.PosArguments);
#pragma warning restore CS0612

    public static SqlArguments Of(IDictionary<string, Literal> args, IEnumerable<Literal> posArgs, IDictionary<string, Expression> namedArguments,
        IEnumerable<Expression> posArguments)
    {
        var named = new Dictionary<string, LiteralValue>(StringComparer.Ordinal);
        foreach (var (k, v) in args) named[k] = LiteralValue.Of(v);
        foreach (var (k, v) in namedArguments) named[k] = LiteralOf(k, v);
        var positional = posArgs.Select(LiteralValue.Of).Concat(posArguments.Select((e, i) => LiteralOf(i.ToString(System.Globalization.CultureInfo.InvariantCulture), e))).ToList();
        if (named.Count > 0 && positional.Count > 0) throw SparkError.Of("INVALID_QUERY_MIXED_QUERY_PARAMETERS", JvmException.Analysis);
        return new SqlArguments(named, positional);
    }

    private static LiteralValue LiteralOf(string name, Expression e) =>
        e.ExprTypeCase == Expression.ExprTypeOneofCase.Literal ? LiteralValue.Of(e.Literal)
            : throw SparkError.Of("INVALID_SQL_ARG", JvmException.Analysis, new Dictionary<string, string> { ["name"] = "`" + name + "`" });
}

/// <summary>
/// Spark SQL text with its arguments as a DuckDB plan: the text rewritten (<see cref="SparkSqlRewriter"/>), every
/// parameter marker replaced by a DuckDB parameter cast to the argument's type (<c>CAST($name AS INTEGER)</c>), the
/// values bound, never written into the text. A marker without an argument fails as Spark's UNBOUND_SQL_PARAMETER.
/// </summary>
internal static class SqlStatements
{
    public static SqlPlan Plan(string sparkSql, SqlArguments args)
    {
        if (string.IsNullOrWhiteSpace(sparkSql)) throw SparkError.Of("PARSE_EMPTY_STATEMENT", JvmException.Parse);
        var bound = new List<BoundParameter>();
        var rewritten = SparkSqlRewriter.Rewrite(sparkSql,
            (name, at) => Marker(bound, name, DuckName(name, bound.Count), args.Named.GetValueOrDefault(name), sparkSql, at),
            (index, at) => Marker(bound, index.ToString(System.Globalization.CultureInfo.InvariantCulture), $"pos{index}",
                index < args.Positional.Count ? args.Positional[index] : null, sparkSql, at));
        return new SqlPlan(rewritten.DuckDb, bound, Classify(sparkSql), sparkSql, rewritten);
    }

    private static string Marker(List<BoundParameter> bound, string sparkName, string duckName, LiteralValue? value, string sql, int at)
    {
        if (value is null)
        {
            throw SparkError.Of("UNBOUND_SQL_PARAMETER", JvmException.Analysis, new Dictionary<string, string> { ["name"] = sparkName },
                QueryPosition(sql, at));
        }
        var existing = bound.FirstOrDefault(b => b.SparkName == sparkName);
        if (existing is null) bound.Add(existing = new BoundParameter(duckName, value.Value, sparkName));
        return $"CAST(${existing.DuckName} AS {ProtoTypes.DuckName(value.Type)})";
    }

    private static string DuckName(string sparkName, int index) =>
        sparkName.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? "p_" + sparkName : "p" + index;

    /// <summary>AnalysisException's position suffix: <c>; line 1 pos 14</c> (pos 0-based).</summary>
    public static string QueryPosition(string sql, int offset)
    {
        var line = 1 + sql[..offset].Count(c => c == '\n');
        var lineStart = sql.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1;
        if (offset == 0) lineStart = 0;
        return $"; line {line} pos {offset - lineStart}";
    }

    /// <summary>Whether Spark runs the statement as a query or eagerly as a command, by its first keyword.</summary>
    public static StatementKind Classify(string sparkSql)
    {
        var first = SqlTokenizer.Tokenize(sparkSql).FirstOrDefault(t => t.Significant);
        if (first is null || first.Is("(")) return StatementKind.Query;
        return first.Text.ToUpperInvariant() switch
        {
            "SELECT" or "WITH" or "VALUES" or "FROM" or "TABLE" => StatementKind.Query,
            "SHOW" or "DESCRIBE" or "DESC" or "EXPLAIN" => StatementKind.RowsCommand,
            _ => StatementKind.Command,
        };
    }
}
