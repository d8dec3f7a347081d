using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Metastore;

/// <summary>What kind of relation a table entry is, in engine-neutral terms.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<MetastoreTableKind>))]
public enum MetastoreTableKind
{
    /// <summary>An ordinary table (PostgreSQL relkind <c>r</c>, a DuckDB table, a managed Hive or Iceberg table).</summary>
    Table,

    /// <summary>A view (PostgreSQL relkind <c>v</c>, a DuckDB view).</summary>
    View,

    /// <summary>A materialized view (PostgreSQL relkind <c>m</c>).</summary>
    MaterializedView,

    /// <summary>A partitioned table whose rows live in its partitions (PostgreSQL relkind <c>p</c>).</summary>
    PartitionedTable,

    /// <summary>A foreign table served by a foreign data wrapper (PostgreSQL relkind <c>f</c>).</summary>
    ForeignTable,

    /// <summary>A table over files the catalog does not own (a Hive external table).</summary>
    ExternalTable,

    /// <summary>Anything else the engine reports; the table's properties say more.</summary>
    Other,
}
