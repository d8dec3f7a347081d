namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>
/// A column for seeding: its name, its Iceberg type as text (a primitive such as <c>long</c>, <c>decimal(10,2)</c> or
/// <c>fixed[16]</c>, or a nested <c>list&lt;T&gt;</c>, <c>map&lt;K, V&gt;</c> or <c>struct&lt;a: T, b: U&gt;</c>),
/// whether it is required, and its doc.
/// </summary>
public sealed record IcebergColumn(string Name, string Type, bool Required = false, string? Doc = null);
