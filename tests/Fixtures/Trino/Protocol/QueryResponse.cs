namespace KernelGateway.Tests.Fixtures.Trino.Protocol;

/// <summary>One built QueryResults response, kept so a repeated token gets the same bytes.</summary>
internal sealed record QueryResponse(byte[] Body, int Rows, bool Final, IReadOnlyList<(string Name, string Value)> Headers)
{
    public bool HasData => Rows > 0;
}
