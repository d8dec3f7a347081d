namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>
/// A column for seeding: its name, its Iceberg type as text (a primitive such as <c>long</c> or <c>decimal(10,2)</c>,
/// or <c>list&lt;T&gt;</c> / <c>map&lt;K, V&gt;</c> of primitives), whether it is required, and its doc.
/// </summary>
public sealed record IcebergColumn(string Name, string Type, bool Required = false, string? Doc = null);

/// <summary>A partition field for seeding: the source column and the transform (<c>identity</c>, <c>day</c>, <c>bucket[16]</c>, ...).</summary>
public sealed record IcebergPartition(string Column, string Transform);
