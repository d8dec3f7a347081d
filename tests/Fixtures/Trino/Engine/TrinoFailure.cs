namespace KernelGateway.Tests.Fixtures.Trino.Engine;

/// <summary>A failure already in Trino's terms.</summary>
internal sealed class TrinoFailure(TrinoError error) : Exception(error.Message)
{
    public TrinoError Error { get; } = error;
}
