using KernelGateway.Tests.Fixtures.Trino.Types;

namespace KernelGateway.Tests.Fixtures.Trino.Sql;

/// <summary>
/// Trino SQL rewritten for DuckDB: the text to run, the Trino types that the top-level select list states
/// explicitly (a CAST or a typed literal; null where the DuckDB type says it all), and a map from offsets in the
/// rewritten text back to the original (for error locations).
/// </summary>
/// <summary>A top-level select item: the Trino type it states, its alias, whether it is an expression.</summary>
internal sealed record SelectItem(TrinoType? StatedType, string? Alias, bool Expression);

internal sealed class ShimmedSql(string duckDb, IReadOnlyList<SelectItem> items, IReadOnlyList<ShimmedSql.Edit> edits)
{
    /// <summary>One replacement: original span [OriginalStart, OriginalEnd) became [NewStart, NewEnd).</summary>
    internal readonly record struct Edit(int OriginalStart, int OriginalEnd, int NewStart, int NewEnd);

    public string DuckDb { get; } = duckDb;

    /// <summary>The top-level select items, up to the first <c>*</c> (so possibly fewer than the columns).</summary>
    public IReadOnlyList<SelectItem> Items { get; } = items;

    /// <summary>The offset in the original SQL of an offset in <see cref="DuckDb"/>.</summary>
    public int OriginalOffset(int rewritten)
    {
        var delta = 0;
        foreach (var e in edits)
        {
            if (rewritten < e.NewStart) break;
            if (rewritten < e.NewEnd) return e.OriginalStart;
            delta = e.OriginalEnd - e.NewEnd;
        }
        return rewritten + delta;
    }
}
