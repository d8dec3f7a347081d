using System.Data.Common;
using static KernelGateway.Platform.Metastore.ProviderSql;

namespace KernelGateway.Platform.Metastore;

/// <summary>
/// PostgreSQL's catalog from <c>pg_catalog</c>: the catalog is the connection's database (a connection cannot
/// query another); schemas leave out <c>pg_*</c> and <c>information_schema</c>. Kinds come from <c>relkind</c>
/// (r table, v view, m materialized view, p partitioned table, f foreign table), comments from
/// <c>obj_description</c>/<c>col_description</c>, types from <c>format_type</c>, sizes from
/// <c>pg_total_relation_size</c> (a partitioned table sums its partition tree) and row counts from the planner's
/// <c>reltuples</c> estimate (null until the table is first analyzed). <c>information_schema</c> is not enough on
/// its own: it lists no materialized views and spells array and user-defined types <c>ARRAY</c> and <c>USER-DEFINED</c>.
/// </summary>
/// <param name="connection">The connection's name, the first part of every address.</param>
/// <param name="open">Opens a new connection to the database.</param>
internal sealed class PostgresMetastoreProvider(string connection, Func<CancellationToken, Task<DbConnection>> open) : IMetastoreProvider
{
    private const string Relations = "('r','v','m','p','f')";
    private const string UserSchema = "n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'";

    private readonly MetastoreAddress _root = new(connection);

    public async Task<IReadOnlyList<MetastoreCatalog>> ListCatalogsAsync(CancellationToken cancellationToken)
    {
        await using var db = await open(cancellationToken).ConfigureAwait(false);
        return await RowsAsync(db, """
            SELECT d.datname, shobj_description(d.oid, 'pg_database'), pg_get_userbyid(d.datdba), pg_encoding_to_char(d.encoding)
            FROM pg_database d WHERE d.datname = current_database()
            """, new Dictionary<string, object?>(), r => new MetastoreCatalog(_root.Child(r.GetString(0)), Text(r, 1), IsDefault: true,
                Properties(("owner", Text(r, 2)), ("encoding", Text(r, 3)))), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MetastoreSchema>> ListSchemasAsync(string catalog, CancellationToken cancellationToken)
    {
        await using var db = await open(cancellationToken).ConfigureAwait(false);
        var at = _root.Child(catalog);
        return await RowsAsync(db, $"""
            SELECT n.nspname, obj_description(n.oid, 'pg_namespace'), pg_get_userbyid(n.nspowner)
            FROM pg_namespace n WHERE current_database() = @catalog AND {UserSchema} ORDER BY n.nspname
            """, new Dictionary<string, object?> { ["catalog"] = catalog },
            r => new MetastoreSchema(at.Child(r.GetString(0)), Text(r, 1), Text(r, 2)), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MetastoreTableSummary>> ListTablesAsync(string catalog, string schema, CancellationToken cancellationToken)
    {
        await using var db = await open(cancellationToken).ConfigureAwait(false);
        var at = _root.Child(catalog);
        return await RowsAsync(db, $"""
            SELECT c.relname, c.relkind::text, obj_description(c.oid, 'pg_class'), pn.nspname, p.relname
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
            LEFT JOIN pg_class p ON p.oid = i.inhparent
            LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace
            WHERE current_database() = @catalog AND n.nspname = @schema AND c.relkind IN {Relations}
            ORDER BY c.relname
            """, new Dictionary<string, object?> { ["catalog"] = catalog, ["schema"] = schema },
            r => new MetastoreTableSummary(at.Child(schema).Child(r.GetString(0)), Kind(r.GetString(1)), Text(r, 2),
                Text(r, 3) is { } parentSchema ? at.Child(parentSchema).Child(r.GetString(4)) : null), cancellationToken).ConfigureAwait(false);
    }

    public async Task<MetastoreTable?> DescribeAsync(string catalog, string schema, string table, CancellationToken cancellationToken)
    {
        await using var db = await open(cancellationToken).ConfigureAwait(false);
        var at = _root.Child(catalog);
        var address = at.Child(schema).Child(table);
        var found = await RowsAsync(db, $"""
            SELECT c.oid::bigint, c.relkind::text, obj_description(c.oid, 'pg_class'), pg_get_userbyid(c.relowner),
                   COALESCE(fdw.fdwname, am.amname), ts.spcname,
                   CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
                   CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END,
                   pn.nspname, p.relname,
                   CASE c.relkind
                       WHEN 'p' THEN (SELECT sum(pg_total_relation_size(t.relid)) FROM pg_partition_tree(c.oid) t)::bigint
                       WHEN 'r' THEN pg_total_relation_size(c.oid) WHEN 'm' THEN pg_total_relation_size(c.oid) END,
                   CASE c.relkind
                       WHEN 'p' THEN (SELECT sum(tc.reltuples) FILTER (WHERE tc.reltuples >= 0) FROM pg_partition_tree(c.oid) t
                                      JOIN pg_class tc ON tc.oid = t.relid WHERE t.isleaf)::bigint
                       WHEN 'r' THEN CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END
                       WHEN 'm' THEN CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END END,
                   srv.srvname, array_to_string(c.reloptions, chr(31)), array_to_string(ft.ftoptions, chr(31))
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_am am ON am.oid = c.relam
            LEFT JOIN pg_tablespace ts ON ts.oid = c.reltablespace
            LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
            LEFT JOIN pg_class p ON p.oid = i.inhparent
            LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace
            LEFT JOIN pg_foreign_table ft ON ft.ftrelid = c.oid
            LEFT JOIN pg_foreign_server srv ON srv.oid = ft.ftserver
            LEFT JOIN pg_foreign_data_wrapper fdw ON fdw.oid = srv.srvfdw
            WHERE current_database() = @catalog AND n.nspname = @schema AND c.relname = @table AND c.relkind IN {Relations}
            """, new Dictionary<string, object?> { ["catalog"] = catalog, ["schema"] = schema, ["table"] = table },
            r => (Oid: r.GetInt64(0), Table: new MetastoreTable
            {
                Address = address,
                Kind = Kind(r.GetString(1)),
                Comment = Text(r, 2),
                Owner = Text(r, 3),
                Format = Text(r, 4),
                Location = Text(r, 5) is { } tablespace ? "tablespace " + tablespace : null,
                PartitionSpec = Text(r, 6),
                Definition = Text(r, 7)?.Trim(),
                PartitionOf = Text(r, 8) is { } parentSchema ? at.Child(parentSchema).Child(r.GetString(9)) : null,
                SizeBytes = Long(r, 10),
                RowCount = Long(r, 11),
                Properties = Options(("server", Text(r, 12)), Text(r, 13), Text(r, 14)),
                Columns = [],
            }), cancellationToken).ConfigureAwait(false);
        if (found.Count == 0) return null;
        var (oid, described) = found[0];
        var relation = new Dictionary<string, object?> { ["oid"] = oid };
        var columns = await RowsAsync(db, """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull, col_description(a.attrelid, a.attnum),
                   row_number() OVER (ORDER BY a.attnum)::int, COALESCE(a.attnum = ANY (pt.partattrs::int2[]), false)
            FROM pg_attribute a LEFT JOIN pg_partitioned_table pt ON pt.partrelid = a.attrelid
            WHERE a.attrelid = @oid::bigint::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """, relation, r => new MetastoreColumn(address.Child(r.GetString(0)), r.GetString(1), SqlTypeNames.TableSchemaType(r.GetString(1)),
                r.GetBoolean(2), Text(r, 3), r.GetInt32(4), r.GetBoolean(5)), cancellationToken).ConfigureAwait(false);
        var partitions = described.Kind != MetastoreTableKind.PartitionedTable ? [] : await RowsAsync(db, """
            SELECT n.nspname, c.relname, pg_get_expr(c.relpartbound, c.oid)
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE i.inhparent = @oid::bigint::oid ORDER BY c.relname
            """, relation, r => new MetastorePartition(at.Child(r.GetString(0)).Child(r.GetString(1)), Text(r, 2)), cancellationToken).ConfigureAwait(false);
        return described with { Columns = columns, Partitions = partitions };
    }

    public async Task<MetastoreNames> ListNamesAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await open(cancellationToken).ConfigureAwait(false);
        var rows = await RowsAsync(db, $"""
            SELECT 3 AS level, current_database(), n.nspname, NULL::name AS table_name, NULL::name AS column_name, NULL::text AS kind, d.description
            FROM pg_namespace n LEFT JOIN pg_description d ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
            WHERE {UserSchema}
            UNION ALL
            SELECT 4, current_database(), n.nspname, c.relname, NULL, c.relkind::text, d.description
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
            WHERE c.relkind IN {Relations} AND {UserSchema}
            UNION ALL
            SELECT 5, current_database(), n.nspname, c.relname, a.attname, NULL, d.description
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
            WHERE c.relkind IN {Relations} AND {UserSchema} AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY level
            LIMIT @limit
            """, new Dictionary<string, object?> { ["limit"] = (long)limit + 1 },
            r => new MetastoreName(new MetastoreAddress(connection, r.GetString(1), r.GetString(2), Text(r, 3), Text(r, 4)),
                Text(r, 5) is { } kind ? Kind(kind) : null, Text(r, 6)), cancellationToken).ConfigureAwait(false);
        return Names(rows, limit);
    }

    private static MetastoreTableKind Kind(string relkind) => relkind switch
    {
        "r" => MetastoreTableKind.Table,
        "v" => MetastoreTableKind.View,
        "m" => MetastoreTableKind.MaterializedView,
        "p" => MetastoreTableKind.PartitionedTable,
        "f" => MetastoreTableKind.ForeignTable,
        _ => MetastoreTableKind.Other,
    };

    /// <summary>The foreign server, then storage options (<c>fillfactor=70</c>) and foreign table options (<c>filename=...</c>), as properties.</summary>
    private static IReadOnlyDictionary<string, string> Options((string Key, string? Value) server, params string?[] lists)
    {
        var all = new Dictionary<string, string>(Properties(server), StringComparer.Ordinal);
        foreach (var option in lists.Where(l => !string.IsNullOrEmpty(l)).SelectMany(l => l!.Split('\u001f')))
        {
            var eq = option.IndexOf('=');
            if (eq > 0) all[option[..eq]] = option[(eq + 1)..];
        }
        return all;
    }
}
