namespace KernelGateway.Extensions.Metastore;

/// <summary>One table of a view; <paramref name="Title"/> is shown above it when set.</summary>
internal sealed record MetastoreSection(string? Title, IReadOnlyList<(string Name, Type Type)> Columns, IReadOnlyList<object?[]> Rows);
