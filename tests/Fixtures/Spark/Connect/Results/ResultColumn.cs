using DuckDB.NET.Data;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Results;

/// <summary>A result column: its name and Spark type, how the wrapping SELECT reads it, and the value reader.</summary>
internal sealed record ResultColumn(string Name, DuckColumnType DuckType, Func<DuckDBDataReader, int, object?> Read)
{
    public SparkField Field => new(Name, DuckType.Type);

    /// <summary>The select item reading column <paramref name="ordinal"/> (1-based) of the described statement.</summary>
    public string SelectItem(int ordinal) => DuckType.Read switch
    {
        ReadAs.Json => $"CAST(to_json(#{ordinal}) AS VARCHAR)",
        ReadAs.Text => $"CAST(#{ordinal} AS VARCHAR)",
        _ => $"#{ordinal}",
    };
}
