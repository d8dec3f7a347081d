using System.Text.Json;
using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Metastore;

/// <summary>Writes the metastore's enums as snake_case strings (<c>materialized_view</c>), as Metacat and the HTTP API spell them.</summary>
internal sealed class SnakeCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
