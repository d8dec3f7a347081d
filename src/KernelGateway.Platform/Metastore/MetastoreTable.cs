using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Metastore;

/// <summary>A table or view described in full: its columns and whatever the engine knows about it cheaply.</summary>
public sealed record MetastoreTable
{
    /// <summary><c>connection.catalog.schema.table</c></summary>
    [JsonPropertyName("address")] public required MetastoreAddress Address { get; init; }

    /// <summary>The table's name.</summary>
    [JsonPropertyName("name")] public string Name => Address.Name;

    /// <summary>Table, view, materialized view, ...</summary>
    [JsonPropertyName("kind")] public required MetastoreTableKind Kind { get; init; }

    /// <summary>The table's comment, or null.</summary>
    [JsonPropertyName("comment")] public string? Comment { get; init; }

    /// <summary>The owning role, where the engine has one.</summary>
    [JsonPropertyName("owner")] public string? Owner { get; init; }

    /// <summary>Where the data lives (a path or URI), where the engine says.</summary>
    [JsonPropertyName("location")] public string? Location { get; init; }

    /// <summary>The storage format or access method (<c>heap</c>, <c>parquet</c>, a foreign data wrapper), where the engine says.</summary>
    [JsonPropertyName("format")] public string? Format { get; init; }

    /// <summary>The partition key as the engine writes it (<c>RANGE (day)</c>), or null when not partitioned.</summary>
    [JsonPropertyName("partition_spec")] public string? PartitionSpec { get; init; }

    /// <summary>For a partitioned table, its partitions; else empty.</summary>
    [JsonPropertyName("partitions")] public IReadOnlyList<MetastorePartition> Partitions { get; init; } = [];

    /// <summary>For a partition, the partitioned table it belongs to; else null.</summary>
    [JsonPropertyName("partition_of")] public MetastoreAddress? PartitionOf { get; init; }

    /// <summary>The view's query or the table's DDL, when the engine gives it.</summary>
    [JsonPropertyName("definition")] public string? Definition { get; init; }

    /// <summary>Other engine properties (storage options, foreign table options, flags).</summary>
    [JsonPropertyName("properties")] public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>The row count, exact or the engine's estimate; null when the engine has none cheaply (a view, a table never analyzed).</summary>
    [JsonPropertyName("row_count")] public long? RowCount { get; init; }

    /// <summary>The size on disk in bytes, including indexes; null when the engine has none cheaply.</summary>
    [JsonPropertyName("size_bytes")] public long? SizeBytes { get; init; }

    /// <summary>The columns, by position.</summary>
    [JsonPropertyName("columns")] public required IReadOnlyList<MetastoreColumn> Columns { get; init; }

    /// <summary>The snapshots, oldest first; empty for engines without table history (DuckDB, PostgreSQL).</summary>
    [JsonPropertyName("snapshots")] public IReadOnlyList<MetastoreSnapshot> Snapshots { get; init; } = [];
}
