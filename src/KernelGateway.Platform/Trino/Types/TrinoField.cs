namespace KernelGateway.Platform.Trino;

/// <summary>A field of a Trino <c>row</c> type.</summary>
/// <param name="Name">The field's name, or null for an anonymous field (<c>row(integer, varchar)</c>).</param>
/// <param name="Type">The field's type.</param>
public sealed record TrinoField(string? Name, TrinoType Type);
