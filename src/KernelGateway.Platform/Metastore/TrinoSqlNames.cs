using KernelGateway.Platform.Trino;

namespace KernelGateway.Platform.Metastore;

/// <summary>
/// Names put into Trino SQL by the metastore: as identifiers (double quotes, inner quotes doubled, so case, dots,
/// spaces and non-ASCII survive) or as string literals (single quotes doubled, through <see cref="TrinoLiterals"/>).
/// Trino has no bind parameters for catalog names, and <c>information_schema</c> filters are plain predicates, so
/// every name travels as one of these two.
/// </summary>
internal static class TrinoSqlNames
{
    /// <summary>A quoted identifier: <c>"My ""Quoted"" Table"</c>.</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A dotted, quoted name: <c>"c"."s"."t"</c>.</summary>
    public static string Qualified(params string[] parts) => string.Join('.', parts.Select(Identifier));

    /// <summary>A string literal: <c>'it''s'</c>.</summary>
    /// <exception cref="ArgumentException">The name holds a NUL character or an unpaired surrogate (no Trino literal can carry it).</exception>
    public static string Literal(string name) => TrinoLiterals.Format(name);
}
