using KernelGateway.Platform.Sql;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// Binds C# values to a statement the way Trino binds parameters: the statement goes as a prepared statement (in
/// the request's <c>Prepared-Statement</c> header) and the values as literals of <c>EXECUTE name USING ...</c>,
/// so no value is ever spliced into the statement's text. Named references (<c>@day</c> or <c>$day</c>, outside
/// literals and comments) take values from an object's properties or a dictionary; <c>?</c> takes values in order
/// from a list.
/// </summary>
internal static class TrinoParameters
{
    private static long _counter;

    /// <summary>The text to send and the prepared statement to send with it (none when there is nothing to bind).</summary>
    /// <exception cref="ArgumentException">A reference has no value, the counts differ, or a value has no Trino literal.</exception>
    public static (string Sql, KeyValuePair<string, string>? Prepared) Bind(string sql, object? parameters)
    {
        if (parameters is null) return (sql, null);
        IReadOnlyList<object?> values;
        string statement;
        if (SqlParameterValues.Named(parameters) is { } named)
        {
            var (positional, occurrences) = SqlText.ToPositional(sql);
            if (occurrences.Count == 0 && named.Count == 0) return (sql, null);
            values = occurrences.Select(name => named.TryGetValue(name, out var v) ? v
                : throw new ArgumentException($"@{name} has no value (given: {(named.Count == 0 ? "none" : string.Join(", ", named.Keys))})")).ToList();
            if (SqlText.CountPositional(positional) != values.Count) throw new ArgumentException("use either ? or named @parameters in one statement, not both");
            statement = positional;
        }
        else
        {
            values = SqlParameterValues.Positional(parameters);
            var expected = SqlText.CountPositional(sql);
            if (expected != values.Count) throw new ArgumentException($"the statement has {expected} ? placeholder{(expected == 1 ? "" : "s")} but {values.Count} value{(values.Count == 1 ? " was" : "s were")} given");
            if (expected == 0) return (sql, null);
            statement = sql;
        }
        var name = $"kg_{Interlocked.Increment(ref _counter)}";
        var literals = values.Select(TrinoLiterals.Format).ToList();
        return (literals.Count == 0 ? $"EXECUTE {name}" : $"EXECUTE {name} USING {string.Join(", ", literals)}",
            new KeyValuePair<string, string>(name, statement.TrimEnd().TrimEnd(';')));
    }
}
