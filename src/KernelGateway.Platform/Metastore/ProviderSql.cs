using System.Data.Common;
using System.Globalization;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Platform.Metastore;

/// <summary>The reading the SQL providers share: a query with named parameters, mapped row by row.</summary>
internal static class ProviderSql
{
    /// <summary>Runs a query (through <see cref="WarehouseClient.ReadAsync(DbConnection, string, IReadOnlyDictionary{string, object?}?, bool, CancellationToken)"/>, so names travel as parameters) and maps every row.</summary>
    public static async Task<List<T>> RowsAsync<T>(DbConnection db, string sql, IReadOnlyDictionary<string, object?> parameters, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var reader = await WarehouseClient.ReadAsync(db, sql, parameters, closeConnection: false, cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add(map(reader));
        return rows;
    }

    public static string? Text(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToString(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public static long? Long(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public static bool Bool(DbDataReader reader, int ordinal, bool ifNull = false) =>
        reader.IsDBNull(ordinal) ? ifNull : Convert.ToBoolean(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    /// <summary>A properties map without the null values.</summary>
    public static IReadOnlyDictionary<string, string> Properties(params (string Key, string? Value)[] entries) =>
        entries.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!, StringComparer.Ordinal);

    /// <summary>Cuts a search listing at the limit (the queries ask for one more row than it, to know there were more).</summary>
    public static MetastoreNames Names(List<MetastoreName> entries, int limit) =>
        entries.Count > limit ? new MetastoreNames(entries.GetRange(0, limit), Truncated: true) : new MetastoreNames(entries, Truncated: false);
}
