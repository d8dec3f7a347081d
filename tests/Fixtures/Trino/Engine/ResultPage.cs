namespace KernelGateway.Tests.Fixtures.Trino.Engine;

/// <summary>A rendered page: the JSON of its <c>data</c> array and how many rows it holds.</summary>
internal sealed record ResultPage(byte[] Data, int Rows);

/// <summary>An output column: the name clients see and its Trino type.</summary>
internal sealed record OutputColumn(string Name, Types.TrinoType Type);
