namespace KernelGateway.Platform.Metastore;

/// <summary>One searchable name.</summary>
/// <param name="Address">The object's address.</param>
/// <param name="TableKind">For a table, its kind.</param>
/// <param name="Comment">Its comment, or null.</param>
internal sealed record MetastoreName(MetastoreAddress Address, MetastoreTableKind? TableKind, string? Comment);
