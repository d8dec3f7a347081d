using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Metastore;

/// <summary>Why a connection gave no answer (or only part of one).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<MetastoreErrorKind>))]
public enum MetastoreErrorKind
{
    /// <summary>The engine answered with an error, or could not be reached.</summary>
    Failed,

    /// <summary>The engine did not answer within <see cref="MetastoreOptions.ProviderTimeout"/>.</summary>
    TimedOut,

    /// <summary>The connection's kind has no metastore provider yet.</summary>
    NotSupported,

    /// <summary>The connection's entry is unusable (bad kind or connection string); see the connections listing.</summary>
    Unusable,

    /// <summary>No connection, catalog, schema or table of that name.</summary>
    NotFound,

    /// <summary>The answer is partial: e.g. search covered only the first <see cref="MetastoreOptions.SearchNameLimit"/> names.</summary>
    Incomplete,
}
