using System.Text.Json;
using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Iceberg;

// The REST catalog's messages this client reads, as the Iceberg REST catalog specification names their fields
// (open-api/rest-catalog-open-api.yaml: CatalogConfig, ListNamespacesResponse, GetNamespaceResponse,
// ListTablesResponse, LoadTableResult, LoadViewResult, OAuthTokenResponse; ErrorModel is read
// by IcebergRestClient.ErrorAsync). Our own types, read leniently:
// fields this client does not use are ignored.

/// <summary>
/// <c>GET /v1/config</c>: properties the server sets under the client's (<c>defaults</c>) and over them
/// (<c>overrides</c>), and the endpoints it serves (<c>"GET /v1/{prefix}/namespaces"</c>, ...), when it says.
/// </summary>
internal sealed record IcebergConfig(
    [property: JsonPropertyName("defaults")] Dictionary<string, string>? Defaults,
    [property: JsonPropertyName("overrides")] Dictionary<string, string>? Overrides,
    [property: JsonPropertyName("endpoints")] List<string>? Endpoints);

/// <summary>One page of namespaces, each a list of levels.</summary>
internal sealed record IcebergNamespacePage(
    [property: JsonPropertyName("namespaces")] List<List<string>>? Namespaces,
    [property: JsonPropertyName("next-page-token")] string? NextPageToken);

/// <summary>A namespace and its properties (<c>comment</c>, <c>owner</c>, <c>location</c>, ...).</summary>
internal sealed record IcebergNamespace(
    [property: JsonPropertyName("namespace")] List<string> Levels,
    [property: JsonPropertyName("properties")] Dictionary<string, string>? Properties);

/// <summary>A table or view identifier.</summary>
internal sealed record IcebergIdentifier(
    [property: JsonPropertyName("namespace")] List<string> Namespace,
    [property: JsonPropertyName("name")] string Name);

/// <summary>One page of table or view identifiers.</summary>
internal sealed record IcebergIdentifierPage(
    [property: JsonPropertyName("identifiers")] List<IcebergIdentifier>? Identifiers,
    [property: JsonPropertyName("next-page-token")] string? NextPageToken);

/// <summary><c>LoadTableResult</c>: where the metadata file is, the metadata, and table-specific client config.</summary>
internal sealed record IcebergLoadTable(
    [property: JsonPropertyName("metadata-location")] string? MetadataLocation,
    [property: JsonPropertyName("metadata")] IcebergTableMetadata Metadata,
    [property: JsonPropertyName("config")] Dictionary<string, string>? Config);

/// <summary>Table metadata (format versions 1 to 3, the fields read here).</summary>
internal sealed record IcebergTableMetadata(
    [property: JsonPropertyName("format-version")] int FormatVersion,
    [property: JsonPropertyName("table-uuid")] string? TableUuid,
    [property: JsonPropertyName("location")] string? Location,
    [property: JsonPropertyName("last-updated-ms")] long? LastUpdatedMs,
    [property: JsonPropertyName("current-schema-id")] int? CurrentSchemaId,
    [property: JsonPropertyName("schemas")] List<IcebergSchema>? Schemas,
    [property: JsonPropertyName("schema")] IcebergSchema? Schema,
    [property: JsonPropertyName("default-spec-id")] int? DefaultSpecId,
    [property: JsonPropertyName("partition-specs")] List<IcebergPartitionSpec>? PartitionSpecs,
    [property: JsonPropertyName("default-sort-order-id")] int? DefaultSortOrderId,
    [property: JsonPropertyName("sort-orders")] List<IcebergSortOrder>? SortOrders,
    [property: JsonPropertyName("properties")] Dictionary<string, string>? Properties,
    [property: JsonPropertyName("current-snapshot-id")] long? CurrentSnapshotId,
    [property: JsonPropertyName("snapshots")] List<IcebergSnapshot>? Snapshots)
{
    /// <summary>The current schema (<c>current-schema-id</c> among <c>schemas</c>, or v1's single <c>schema</c>).</summary>
    public IcebergSchema? CurrentSchema =>
        Schemas?.FirstOrDefault(s => s.SchemaId == CurrentSchemaId) ?? Schemas?.LastOrDefault() ?? Schema;

    /// <summary>The default partition spec, or null.</summary>
    public IcebergPartitionSpec? DefaultSpec => PartitionSpecs?.FirstOrDefault(s => s.SpecId == DefaultSpecId) ?? PartitionSpecs?.LastOrDefault();

    /// <summary>The current snapshot, or null for a table nothing was written to.</summary>
    public IcebergSnapshot? CurrentSnapshot => Snapshots?.FirstOrDefault(s => s.SnapshotId == CurrentSnapshotId);
}

/// <summary>A schema: a struct of fields.</summary>
internal sealed record IcebergSchema(
    [property: JsonPropertyName("schema-id")] int? SchemaId,
    [property: JsonPropertyName("fields")] List<IcebergField> Fields);

/// <summary>A field: its id, name, requiredness, type (a primitive's name, or a struct, list or map object) and doc.</summary>
internal sealed record IcebergField(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("required")] bool Required,
    [property: JsonPropertyName("type")] JsonElement Type,
    [property: JsonPropertyName("doc")] string? Doc);

/// <summary>A partition spec: fields, each a transform of a source column.</summary>
internal sealed record IcebergPartitionSpec(
    [property: JsonPropertyName("spec-id")] int SpecId,
    [property: JsonPropertyName("fields")] List<IcebergPartitionField> Fields);

internal sealed record IcebergPartitionField(
    [property: JsonPropertyName("source-id")] int SourceId,
    [property: JsonPropertyName("field-id")] int? FieldId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("transform")] string Transform);

/// <summary>A sort order: fields, each a transform of a source column with a direction and null order.</summary>
internal sealed record IcebergSortOrder(
    [property: JsonPropertyName("order-id")] int OrderId,
    [property: JsonPropertyName("fields")] List<IcebergSortField> Fields);

internal sealed record IcebergSortField(
    [property: JsonPropertyName("source-id")] int SourceId,
    [property: JsonPropertyName("transform")] string Transform,
    [property: JsonPropertyName("direction")] string Direction,
    [property: JsonPropertyName("null-order")] string NullOrder);

/// <summary>A snapshot: its id, commit time, and summary (<c>operation</c>, <c>total-records</c>, <c>total-files-size</c>, ...).</summary>
internal sealed record IcebergSnapshot(
    [property: JsonPropertyName("snapshot-id")] long SnapshotId,
    [property: JsonPropertyName("parent-snapshot-id")] long? ParentSnapshotId,
    [property: JsonPropertyName("timestamp-ms")] long TimestampMs,
    [property: JsonPropertyName("summary")] Dictionary<string, string>? Summary);

/// <summary><c>LoadViewResult</c>.</summary>
internal sealed record IcebergLoadView(
    [property: JsonPropertyName("metadata-location")] string? MetadataLocation,
    [property: JsonPropertyName("metadata")] IcebergViewMetadata Metadata);

/// <summary>View metadata: its versions (each with SQL representations) and schemas.</summary>
internal sealed record IcebergViewMetadata(
    [property: JsonPropertyName("view-uuid")] string? ViewUuid,
    [property: JsonPropertyName("location")] string? Location,
    [property: JsonPropertyName("current-version-id")] int CurrentVersionId,
    [property: JsonPropertyName("versions")] List<IcebergViewVersion>? Versions,
    [property: JsonPropertyName("schemas")] List<IcebergSchema>? Schemas,
    [property: JsonPropertyName("properties")] Dictionary<string, string>? Properties)
{
    public IcebergViewVersion? CurrentVersion => Versions?.FirstOrDefault(v => v.VersionId == CurrentVersionId);

    public IcebergSchema? CurrentSchema => Schemas?.FirstOrDefault(s => s.SchemaId == CurrentVersion?.SchemaId) ?? Schemas?.LastOrDefault();
}

internal sealed record IcebergViewVersion(
    [property: JsonPropertyName("version-id")] int VersionId,
    [property: JsonPropertyName("timestamp-ms")] long TimestampMs,
    [property: JsonPropertyName("schema-id")] int SchemaId,
    [property: JsonPropertyName("representations")] List<IcebergViewRepresentation>? Representations);

internal sealed record IcebergViewRepresentation(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("sql")] string? Sql,
    [property: JsonPropertyName("dialect")] string? Dialect);

/// <summary>The OAuth2 token endpoint's answer.</summary>
internal sealed record IcebergTokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn);

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(IcebergConfig))]
[JsonSerializable(typeof(IcebergNamespacePage))]
[JsonSerializable(typeof(IcebergNamespace))]
[JsonSerializable(typeof(IcebergIdentifierPage))]
[JsonSerializable(typeof(IcebergLoadTable))]
[JsonSerializable(typeof(IcebergLoadView))]
[JsonSerializable(typeof(IcebergTokenResponse))]
internal sealed partial class IcebergJsonContext : JsonSerializerContext;
