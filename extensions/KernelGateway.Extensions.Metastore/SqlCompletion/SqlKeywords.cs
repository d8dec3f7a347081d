namespace KernelGateway.Extensions.Metastore.SqlCompletion;

/// <summary>The SQL keywords completion offers, the clause words that decide what a position expects, and reserved words.</summary>
internal static class SqlKeywords
{
    /// <summary>Keywords offered when nothing more specific fits, in the order shown.</summary>
    public static readonly IReadOnlyList<string> Offered =
    [
        "SELECT", "FROM", "WHERE", "GROUP BY", "ORDER BY", "HAVING", "LIMIT", "JOIN", "LEFT JOIN", "INNER JOIN", "ON", "AS",
        "AND", "OR", "NOT", "IN", "IS NULL", "IS NOT NULL", "LIKE", "BETWEEN", "CASE", "WHEN", "THEN", "ELSE", "END",
        "DISTINCT", "UNION ALL", "WITH", "INSERT INTO", "VALUES", "UPDATE", "SET", "DELETE FROM", "CREATE TABLE",
        "DESCRIBE", "ASC", "DESC", "count", "sum", "avg", "min", "max",
    ];

    /// <summary>After these (or a comma in a FROM list) a table is expected.</summary>
    public static readonly IReadOnlySet<string> BeforeTable = Set("FROM", "JOIN", "INTO", "UPDATE", "TABLE", "DESCRIBE");

    /// <summary>Clauses in which columns are expected.</summary>
    public static readonly IReadOnlySet<string> ColumnClauses = Set("SELECT", "WHERE", "ON", "BY", "HAVING", "SET", "AND", "OR", "WHEN", "THEN", "ELSE", "USING", "QUALIFY");

    /// <summary>Words that end a table reference: never read as an alias.</summary>
    private static readonly IReadOnlySet<string> Reserved = Set(
        "ALL", "AND", "ANTI", "ANY", "AS", "ASC", "BETWEEN", "BY", "CASE", "CROSS", "DESC", "DESCRIBE", "DISTINCT", "ELSE", "END", "EXCEPT",
        "FETCH", "FOR", "FROM", "FULL", "GROUP", "HAVING", "IN", "INNER", "INTERSECT", "INTO", "IS", "JOIN", "LATERAL", "LEFT", "LIKE",
        "LIMIT", "NATURAL", "NOT", "NULL", "OFFSET", "ON", "OR", "ORDER", "OUTER", "PIVOT", "QUALIFY", "RIGHT", "SELECT", "SEMI", "SET",
        "TABLE", "THEN", "UNION", "UNPIVOT", "UPDATE", "USING", "VALUES", "WHEN", "WHERE", "WINDOW", "WITH");

    /// <summary>Whether a word is reserved (and so needs quotes as a name, and is never an alias).</summary>
    public static bool IsReserved(string word) => Reserved.Contains(word);

    private static HashSet<string> Set(params string[] words) => new(words, StringComparer.OrdinalIgnoreCase);
}
