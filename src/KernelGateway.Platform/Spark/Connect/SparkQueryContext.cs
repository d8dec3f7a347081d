namespace KernelGateway.Platform.Spark.Connect;

/// <summary>Where in a query an error is, as Spark reports it.</summary>
/// <param name="ObjectType">The kind of object the failing text belongs to (<c>VIEW</c>), or empty for the query itself.</param>
/// <param name="ObjectName">The object's name, or empty for the query itself.</param>
/// <param name="StartIndex">The 0-based index of the first character of the failing fragment in the query text.</param>
/// <param name="StopIndex">The 0-based index of its last character.</param>
/// <param name="Fragment">The failing fragment.</param>
/// <param name="Summary">Spark's summary of the context.</param>
public sealed record SparkQueryContext(string ObjectType, string ObjectName, int StartIndex, int StopIndex, string Fragment, string Summary);
