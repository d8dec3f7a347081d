namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>A partition field for seeding: the source column and the transform (<c>identity</c>, <c>day</c>, <c>bucket[16]</c>, ...).</summary>
public sealed record IcebergPartition(string Column, string Transform);
