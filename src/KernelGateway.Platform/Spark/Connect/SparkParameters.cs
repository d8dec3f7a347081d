using KernelGateway.Platform.Spark.Connect.Proto;
using KernelGateway.Platform.Sql;

namespace KernelGateway.Platform.Spark.Connect;

/// <summary>
/// A SQL statement and its parameters as a Spark Connect <c>SQL</c> relation, values never spliced into the text.
/// Spark SQL names parameters <c>:name</c> and takes their values in <c>named_arguments</c> (literal expressions);
/// as elsewhere in KernelGateway, <c>@name</c> and <c>$name</c> are accepted too and rewritten to <c>:name</c>, under
/// Spark's lexical rules (<see cref="SqlText.RewriteSparkParameters"/>: not in literals with backslash escapes,
/// backtick identifiers or comments). A list of values binds the <c>?</c> placeholders in order (<c>pos_arguments</c>).
/// </summary>
internal static class SparkParameters
{
    /// <summary>The relation that runs <paramref name="sql"/> with <paramref name="parameters"/> bound.</summary>
    /// <exception cref="ArgumentException">A parameter the statement names has no value, the number of <c>?</c> and values differ, or a value has no Spark literal.</exception>
    public static Relation Sql(string sql, object? parameters)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var relation = new SQL { Query = sql };
        if (parameters is null) return new Relation { Sql = relation };
        if (SqlParameterValues.Named(parameters) is { } named)
        {
            var (text, referenced) = SqlText.RewriteSparkParameters(sql);
            relation.Query = text;
            foreach (var (name, value) in named) relation.NamedArguments[name] = Literal(value);
            foreach (var name in referenced)
            {
                // Spark matches names exactly: send the value under the spelling the statement uses too.
                if (!named.TryGetValue(name, out var value))
                    throw new ArgumentException($":{name} has no value (given: {(named.Count == 0 ? "none" : string.Join(", ", named.Keys))})");
                relation.NamedArguments[name] = Literal(value);
            }
        }
        else
        {
            var values = SqlParameterValues.Positional(parameters);
            var expected = SqlText.CountPositional(sql, spark: true);
            if (expected != values.Count)
                throw new ArgumentException($"the statement has {expected} ? placeholder{(expected == 1 ? "" : "s")} but {values.Count} value{(values.Count == 1 ? " was" : "s were")} given");
            relation.PosArguments.AddRange(values.Select(Literal));
        }
        return new Relation { Sql = relation };
    }

    private static Expression Literal(object? value) => new() { Literal = SparkLiterals.From(value) };
}
