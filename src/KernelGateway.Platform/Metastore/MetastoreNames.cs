namespace KernelGateway.Platform.Metastore;

/// <summary>What a provider lists for search.</summary>
/// <param name="Entries">The schemas, tables and columns, with their comments.</param>
/// <param name="Truncated">Whether the provider stopped at the limit.</param>
internal sealed record MetastoreNames(IReadOnlyList<MetastoreName> Entries, bool Truncated);
