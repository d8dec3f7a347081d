namespace KernelGateway.Platform.Spark.Livy;

/// <summary>A column of a <see cref="LivyTable"/>.</summary>
/// <param name="Name">The column name.</param>
/// <param name="ClrType">The .NET type of its values: int, long, short, sbyte, double, float, decimal, bool, string,
/// DateOnly, DateTime, byte[]; <c>object?[]</c> for arrays, <c>IReadOnlyDictionary&lt;string, object?&gt;</c> for maps and
/// structs, object for a column of nulls only.</param>
/// <param name="EngineType">The type as Livy named it: <c>INT_TYPE</c>, <c>DECIMAL_TYPE</c> (a <c>%table</c>), or Spark's
/// <c>integer</c>, <c>decimal(10,2)</c>, <c>array&lt;int&gt;</c> (a <c>sql</c> statement).</param>
public sealed record LivyColumn(string Name, Type ClrType, string EngineType);
