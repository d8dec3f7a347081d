using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Metastore;

/// <summary>A column of a table or view.</summary>
/// <param name="Address"><c>connection.catalog.schema.table.column</c></param>
/// <param name="EngineType">The type as the engine spells it (<c>DECIMAL(10,2)</c>, <c>character varying(20)</c>, <c>integer[]</c>).</param>
/// <param name="TableSchemaType">The Frictionless Table Schema type: <c>integer</c>, <c>number</c>, <c>boolean</c>, <c>string</c>, <c>date</c>, <c>time</c>, <c>datetime</c>, <c>duration</c>, <c>array</c>, <c>object</c> or <c>any</c>.</param>
/// <param name="Nullable">Whether the column may hold nulls (true when the engine does not say).</param>
/// <param name="Comment">The column's comment, or null.</param>
/// <param name="Position">1-based position among the table's columns.</param>
/// <param name="IsPartitionKey">Whether the column is (part of) the table's partition key.</param>
public sealed record MetastoreColumn(
    [property: JsonPropertyName("address")] MetastoreAddress Address,
    [property: JsonPropertyName("engine_type")] string EngineType,
    [property: JsonPropertyName("table_schema_type")] string TableSchemaType,
    [property: JsonPropertyName("nullable")] bool Nullable,
    [property: JsonPropertyName("comment")] string? Comment,
    [property: JsonPropertyName("position")] int Position,
    [property: JsonPropertyName("is_partition_key")] bool IsPartitionKey)
{
    /// <summary>The column's name.</summary>
    [JsonPropertyName("name")] public string Name => Address.Name;
}
