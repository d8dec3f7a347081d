using KernelGateway.Platform.Trino;
using static KernelGateway.Platform.Metastore.TrinoSqlNames;

namespace KernelGateway.Platform.Metastore;

/// <summary>A lookup the server may refuse: its result, or null when refused.</summary>
internal delegate Task<TrinoResult?> OptionalTrinoQuery(string sql, CancellationToken cancellationToken);

/// <summary>
/// What Trino's <c>system.metadata</c> tables say about the tables of one catalog (or one schema, or one table):
/// comments from <c>table_comments</c> and materialized views from <c>materialized_views</c> (read by column name,
/// since its columns changed across versions). Either table may be missing (Presto, older Trino): then there are no
/// comments, and materialized views show as the tables <c>information_schema</c> calls them.
/// </summary>
internal sealed class TrinoTableFacts
{
    private readonly Dictionary<(string Schema, string Table), string> _comments = [];
    private readonly Dictionary<(string Schema, string Table), Dictionary<string, string>> _materialized = [];

    /// <summary>Reads both tables (at once), narrowed to the schema and table when given.</summary>
    public static async Task<TrinoTableFacts> LoadAsync(OptionalTrinoQuery query, string catalog, string? schema, CancellationToken cancellationToken, string? table = null)
    {
        var filter = $"catalog_name = {Literal(catalog)}" + (schema is null ? "" : $" AND schema_name = {Literal(schema)}");
        var comments = query($"SELECT schema_name, table_name, comment FROM system.metadata.table_comments WHERE {filter}"
            + (table is null ? "" : $" AND table_name = {Literal(table)}"), cancellationToken);
        var materialized = query($"SELECT * FROM system.metadata.materialized_views WHERE {filter}" + (table is null ? "" : $" AND name = {Literal(table)}"), cancellationToken);
        await Task.WhenAll(comments, materialized).ConfigureAwait(false);
        var facts = new TrinoTableFacts();
        foreach (var row in comments.Result?.Rows ?? [])
        {
            if (row[2] is string { Length: > 0 } comment) facts._comments[((string)row[0]!, (string)row[1]!)] = comment;
        }
        if (materialized.Result is { } views)
        {
            for (var i = 0; i < views.Rows.Count; i++)
            {
                var values = views.Columns.Select((c, k) => (c.Name, Value: views.Rows[i][k]))
                    .Where(v => v.Value is not null).ToDictionary(v => v.Name, v => Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture)!, StringComparer.Ordinal);
                if (values.TryGetValue("schema_name", out var s) && values.TryGetValue("name", out var n)) facts._materialized[(s, n)] = values;
            }
        }
        return facts;
    }

    /// <summary>The kind: a materialized view when listed as one, else from <c>information_schema.tables.table_type</c>.</summary>
    public MetastoreTableKind Kind(string schema, string table, string? tableType) =>
        _materialized.ContainsKey((schema, table)) ? MetastoreTableKind.MaterializedView
        : tableType switch
        {
            "BASE TABLE" => MetastoreTableKind.Table,
            "VIEW" => MetastoreTableKind.View,
            _ => MetastoreTableKind.Other,
        };

    /// <summary>The table's comment, or null.</summary>
    public string? Comment(string schema, string table) =>
        _comments.GetValueOrDefault((schema, table)) ?? (_materialized.GetValueOrDefault((schema, table)) is { } mv ? mv.GetValueOrDefault("comment") : null);

    /// <summary>A materialized view's query, or null.</summary>
    public string? Definition(string schema, string table) => _materialized.GetValueOrDefault((schema, table))?.GetValueOrDefault("definition");

    /// <summary>A materialized view's storage table, freshness and owner as properties; empty for anything else.</summary>
    public IReadOnlyDictionary<string, string> Properties(string schema, string table)
    {
        if (_materialized.GetValueOrDefault((schema, table)) is not { } mv) return new Dictionary<string, string>();
        return mv.Where(p => p.Key is not ("catalog_name" or "schema_name" or "name" or "comment" or "definition")).ToDictionary(StringComparer.Ordinal);
    }
}
