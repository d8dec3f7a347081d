using KernelGateway.Kernel.Engine;
using KernelGateway.Platform.Metastore;

namespace KernelGateway.Extensions.Metastore.SqlCompletion;

/// <summary>
/// Completes names in a SQL cell from the metastore: after FROM/JOIN/INTO the home schema's tables, the home
/// catalog's schemas and the catalogs; after <c>schema.</c> its tables and after <c>catalog.</c> its schemas; after
/// <c>t.</c> (a table or alias of the statement) its columns; in a SELECT list, WHERE, ON, GROUP BY … the columns of
/// the statement's tables, then keywords. Matches ignore case; names are spelled (quoted or not) as the dialect needs,
/// and the span replaced starts at an opening quote the user typed.
/// </summary>
internal static class SqlCompleter
{
    /// <summary>The completions at the cursor.</summary>
    public static async Task<CompletionResult> CompleteAsync(SqlCursor cursor, SqlNameSource names, SqlDialect dialect, string? preferredSchema, CancellationToken cancellationToken)
    {
        var matches = cursor.Expected switch
        {
            SqlExpected.Table => await TablePositionAsync(cursor, names, preferredSchema, cancellationToken).ConfigureAwait(false),
            SqlExpected.Column => await ColumnPositionAsync(cursor, names, preferredSchema, cancellationToken).ConfigureAwait(false),
            SqlExpected.Keyword => [],
            _ => null,
        };
        if (matches is null) return new CompletionResult([], cursor.End, cursor.End);
        var comparison = cursor.PrefixQuoted ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var spelled = matches.Where(m => m.Name.StartsWith(cursor.Prefix, comparison))
            .Select(m => new CompletionMatch(dialect.Spell(m.Name), m.Kind, m.Signature));
        var keywords = cursor.Qualifier.Count == 0 && cursor.Expected != SqlExpected.Table ? Keywords(cursor.Prefix) : [];
        var all = spelled.Concat(keywords).DistinctBy(m => m.Text).ToList();
        return new CompletionResult(all, cursor.Start, cursor.End);
    }

    private static async Task<List<Candidate>> TablePositionAsync(SqlCursor cursor, SqlNameSource names, string? preferredSchema, CancellationToken ct)
    {
        var found = new List<Candidate>();
        switch (cursor.Qualifier)
        {
            case []:
                var (catalog, schema) = await names.HomeAsync(preferredSchema, ct).ConfigureAwait(false);
                if (catalog is not null && schema is not null) found.AddRange(Tables(await names.TablesAsync(catalog, schema, ct).ConfigureAwait(false)));
                if (catalog is not null) found.AddRange((await names.SchemasAsync(catalog, ct).ConfigureAwait(false)).Select(s => new Candidate(s.Name, "schema", s.Comment)));
                found.AddRange((await names.CatalogsAsync(ct).ConfigureAwait(false)).Select(c => new Candidate(c.Name, "catalog", c.Comment)));
                break;
            case [var first]:
                var (home, _) = await names.HomeAsync(preferredSchema, ct).ConfigureAwait(false);
                if (home is not null && await Named(names.SchemasAsync(home, ct), s => s.Name, first).ConfigureAwait(false) is { } inHome)
                    found.AddRange(Tables(await names.TablesAsync(home, inHome, ct).ConfigureAwait(false)));
                if (await Named(names.CatalogsAsync(ct), c => c.Name, first).ConfigureAwait(false) is { } asCatalog)
                    found.AddRange((await names.SchemasAsync(asCatalog, ct).ConfigureAwait(false)).Select(s => new Candidate(s.Name, "schema", s.Comment)));
                break;
            case [var c, var s]:
                if (await Named(names.CatalogsAsync(ct), x => x.Name, c).ConfigureAwait(false) is { } cat
                    && await Named(names.SchemasAsync(cat, ct), x => x.Name, s).ConfigureAwait(false) is { } sch)
                    found.AddRange(Tables(await names.TablesAsync(cat, sch, ct).ConfigureAwait(false)));
                break;
        }
        return found;
    }

    private static async Task<List<Candidate>> ColumnPositionAsync(SqlCursor cursor, SqlNameSource names, string? preferredSchema, CancellationToken ct)
    {
        IEnumerable<SqlTableReference> tables = cursor.Qualifier switch
        {
            [] => cursor.Tables,
            [var name] => cursor.Tables.Where(t => t.IsCalled(name)).DefaultIfEmpty(new SqlTableReference([name], null)).Take(1),
            _ => [new SqlTableReference(cursor.Qualifier.TakeLast(3).ToList(), null)],
        };
        var described = await Task.WhenAll(tables.Select(t => names.ResolveAsync(t.Parts, preferredSchema, ct))).ConfigureAwait(false);
        return described.Where(t => t is not null).SelectMany(t => t!.Columns)
            .Select(c => new Candidate(c.Name, "column", c.Comment, c.EngineType)).ToList();
    }

    private static IEnumerable<Candidate> Tables(IEnumerable<MetastoreTableSummary> tables) =>
        tables.Select(t => new Candidate(t.Name, t.Kind == MetastoreTableKind.Table ? "table" : "view", t.Comment));

    /// <summary>The listed name equal to <paramref name="written"/>: exactly, else the one equal ignoring case.</summary>
    private static async Task<string?> Named<T>(Task<IReadOnlyList<T>> listing, Func<T, string> name, string written)
    {
        var names = (await listing.ConfigureAwait(false)).Select(name).ToList();
        return names.Contains(written, StringComparer.Ordinal) ? written
            : names.Where(n => n.Equals(written, StringComparison.OrdinalIgnoreCase)).ToList() is [var only] ? only : null;
    }

    /// <summary>Keywords starting with the prefix, in the prefix's case (lower case when it is).</summary>
    private static IEnumerable<CompletionMatch> Keywords(string prefix)
    {
        if (prefix.Length == 0) return [];
        var lower = prefix.Any(char.IsLower) && !prefix.Any(char.IsUpper);
        return SqlKeywords.Offered.Where(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(k => new CompletionMatch(lower ? k.ToLowerInvariant() : k, "keyword"));
    }

    private sealed record Candidate(string Name, string Kind, string? Comment, string? Signature = null);
}
