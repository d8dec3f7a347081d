namespace KernelGateway.Platform.Trino;

/// <summary>Rows of one response (at most 4,096 of them), decoded, with the statistics that came with them.</summary>
/// <param name="Columns">The result's columns.</param>
/// <param name="Rows">The values of each row, in column order (null for SQL NULL).</param>
/// <param name="Stats">The query's statistics when the page arrived.</param>
public sealed record TrinoPage(IReadOnlyList<TrinoColumn> Columns, IReadOnlyList<object?[]> Rows, TrinoStats? Stats);
