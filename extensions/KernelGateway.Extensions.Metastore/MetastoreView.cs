using KernelGateway.Platform.Metastore;

namespace KernelGateway.Extensions.Metastore;

/// <summary>
/// What one <c>%metastore</c> command shows: an optional heading, tables in order (the first is the value
/// <c>--out</c> assigns), and the connections that did not answer.
/// </summary>
internal sealed record MetastoreView(IReadOnlyList<MetastoreSection> Sections, IReadOnlyList<MetastoreError> Errors, string? Heading = null);
