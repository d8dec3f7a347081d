namespace KernelGateway.Tests.Fixtures.Iceberg;

/// <summary>A request the server answered: method, raw path and query, the bearer token it carried (null when none), the status.</summary>
public sealed record IcebergCall(string Method, string Path, string Query, string? BearerToken, int Status);
