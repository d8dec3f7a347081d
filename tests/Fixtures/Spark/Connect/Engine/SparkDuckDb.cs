using DuckDB.NET.Data;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Engine;

/// <summary>
/// The backing database: one in-memory DuckDB with Spark's default catalog and schema, <c>spark_catalog.default</c>,
/// as the current schema of every connection (so <c>t</c>, <c>default.t</c> and <c>spark_catalog.default.t</c> name the
/// same table). Every execution gets its own connection, set to the session time zone.
/// </summary>
internal sealed class SparkDuckDb : IDisposable
{
    private readonly DuckDBConnection _root;

    public SparkDuckDb()
    {
        _root = new DuckDBConnection("DataSource=:memory:");
        _root.Open();
        Run(_root, "SET autoinstall_known_extensions = false");
        Run(_root, "ATTACH ':memory:' AS spark_catalog");
        Run(_root, "CREATE SCHEMA spark_catalog.\"default\"");
    }

    /// <summary>A connection in <c>spark_catalog.default</c> with <paramref name="timeZone"/> (an IANA id) as DuckDB's time zone.</summary>
    public DuckDBConnection Open(string timeZone)
    {
        var c = _root.Duplicate();
        try
        {
            if (c.State != System.Data.ConnectionState.Open) c.Open();
            Run(c, "USE spark_catalog.\"default\"");
            Run(c, $"SET TimeZone = '{timeZone.Replace("'", "''")}'");
            return c;
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    /// <summary>Runs setup SQL (DuckDB's dialect) in <c>spark_catalog.default</c>.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var c = Open("UTC");
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static void Run(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => _root.Dispose();
}
