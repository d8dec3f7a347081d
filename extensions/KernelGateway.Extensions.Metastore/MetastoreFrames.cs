using Microsoft.Data.Analysis;

namespace KernelGateway.Extensions.Metastore;

/// <summary>A <see cref="MetastoreSection"/> as a DataFrame, the value <c>--out</c> assigns (as <c>%%sql --out</c> does).</summary>
internal static class MetastoreFrames
{
    public static DataFrame From(MetastoreSection section) =>
        new(section.Columns.Select((c, i) => Column(c.Name, c.Type, section.Rows.Select(r => r[i]))));

    private static DataFrameColumn Column(string name, Type type, IEnumerable<object?> values) => type switch
    {
        _ when type == typeof(int) => new Int32DataFrameColumn(name, values.Select(v => (int?)v)),
        _ when type == typeof(long) => new Int64DataFrameColumn(name, values.Select(v => (long?)v)),
        _ when type == typeof(bool) => new BooleanDataFrameColumn(name, values.Select(v => (bool?)v)),
        _ when type == typeof(DateTimeOffset) => new PrimitiveDataFrameColumn<DateTime>(name, values.Select(v => ((DateTimeOffset?)v)?.UtcDateTime)),
        _ => new StringDataFrameColumn(name, values.Select(v => v?.ToString())),
    };
}
