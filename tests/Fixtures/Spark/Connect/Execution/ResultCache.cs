using System.Collections.Concurrent;
using KernelGateway.Tests.Fixtures.Spark.Connect.Results;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Execution;

/// <summary>A query's encoded batches, kept for <see cref="SparkConnectServerOptions.CacheResults"/>.</summary>
internal sealed record CachedResult(IReadOnlyList<SparkField> Fields, IReadOnlyList<(byte[] Data, long Rows)> Batches);

/// <summary>Results of finished queries by what determines their bytes: SQL, arguments, time zone and batch limits.</summary>
internal sealed class ResultCache
{
    private readonly ConcurrentDictionary<string, CachedResult> _results = new();

    public static string Key(Plans.SqlPlan plan, string timeZone, int maxRows, long maxBytes) =>
        string.Join('\u0001', [plan.DuckDb, timeZone, maxRows.ToString(System.Globalization.CultureInfo.InvariantCulture),
            maxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), .. plan.Parameters.Select(p => p.DuckName + "=" + Format(p.Value))]);

    private static string Format(object? v) => v switch
    {
        null => "null",
        byte[] b => Convert.ToHexString(b),
        System.Collections.IEnumerable e and not string => "[" + string.Join(",", e.Cast<object?>().Select(Format)) + "]",
        IFormattable f => v.GetType().Name + ":" + f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => v.GetType().Name + ":" + v,
    };

    public CachedResult? Find(string key) => _results.GetValueOrDefault(key);

    public void Keep(string key, CachedResult result) => _results.TryAdd(key, result);
}
