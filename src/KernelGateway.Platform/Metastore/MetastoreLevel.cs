using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Metastore;

/// <summary>What an address names: its number of parts.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<MetastoreLevel>))]
public enum MetastoreLevel
{
    /// <summary><c>connection</c></summary>
    Connection = 1,

    /// <summary><c>connection.catalog</c>: a DuckDB database, a PostgreSQL database, a Trino catalog.</summary>
    Catalog = 2,

    /// <summary><c>connection.catalog.schema</c>: a schema, database or namespace.</summary>
    Schema = 3,

    /// <summary><c>connection.catalog.schema.table</c>: a table, view or other relation.</summary>
    Table = 4,

    /// <summary><c>connection.catalog.schema.table.column</c></summary>
    Column = 5,
}
