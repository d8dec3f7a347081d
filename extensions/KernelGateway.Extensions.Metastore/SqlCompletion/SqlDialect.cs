using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Extensions.Metastore.SqlCompletion;

/// <summary>
/// How an engine spells names: its identifier quote, and which names it takes unquoted as written. PostgreSQL and
/// Trino fold unquoted names to lower case, so a name with capitals needs quotes there; DuckDB and Spark match
/// unquoted names ignoring case, so only names that are not plain identifiers do. Reserved words always need them.
/// </summary>
internal sealed record SqlDialect(char Quote, bool FoldsToLower)
{
    /// <summary>DuckDB: double quotes, names matched ignoring case.</summary>
    public static readonly SqlDialect DuckDb = new('"', FoldsToLower: false);

    /// <summary>PostgreSQL, Trino and Presto: double quotes, unquoted names folded to lower case.</summary>
    public static readonly SqlDialect Folding = new('"', FoldsToLower: true);

    /// <summary>Spark SQL: backticks, names matched ignoring case.</summary>
    public static readonly SqlDialect Spark = new('`', FoldsToLower: false);

    /// <summary>The dialect of a connection kind.</summary>
    public static SqlDialect For(string kind) => kind switch
    {
        ConnectionKinds.Spark or ConnectionKinds.Livy => Spark,
        ConnectionKinds.Postgres or ConnectionKinds.Trino or ConnectionKinds.Presto => Folding,
        _ => DuckDb,
    };

    /// <summary>The name as it must be written in this dialect's SQL: as is when it may stand unquoted, else quoted.</summary>
    public string Spell(string name) => NeedsQuotes(name) ? Quote + name.Replace(Quote.ToString(), new string(Quote, 2), StringComparison.Ordinal) + Quote : name;

    private bool NeedsQuotes(string name)
    {
        if (name.Length == 0 || SqlKeywords.IsReserved(name)) return true;
        if (!(char.IsAsciiLetter(name[0]) || name[0] == '_')) return true;
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_')) return true;
            if (FoldsToLower && char.IsAsciiLetterUpper(c)) return true;
        }
        return false;
    }
}
