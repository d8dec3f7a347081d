using DuckDB.NET.Data;

namespace KernelGateway.Tests.Fixtures.Spark.Livy.Engine;

/// <summary>The "Spark SQL" of the fixture: one in-memory DuckDB shared by every session (as a Spark metastore is), a connection of its own per statement.</summary>
internal sealed class DuckDbSql : IDisposable
{
    private readonly DuckDBConnection _root;

    public DuckDbSql()
    {
        _root = new DuckDBConnection("DataSource=:memory:");
        _root.Open();
        using var cmd = _root.CreateCommand();
        cmd.CommandText = "SET autoinstall_known_extensions = false; SET TimeZone = 'UTC'";
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// Runs one statement and reads at most <paramref name="maxRows"/> rows. The columns' full DuckDB types come from
    /// <c>DESCRIBE</c> of the statement; a statement DESCRIBE cannot take (DDL, INSERT) runs as it is and has no columns.
    /// </summary>
    /// <exception cref="DuckDBException">The SQL failed.</exception>
    public async Task<SqlRows> RunAsync(string sql, int maxRows, CancellationToken ct)
    {
        await using var c = _root.Duplicate();
        await c.OpenAsync(ct);
        var columns = await DescribeAsync(c, sql, ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await using var registration = ct.Register(() => Interrupt(cmd));
        if (columns is null)
        {
            await cmd.ExecuteNonQueryAsync(ct);
            return new SqlRows([], [], false);
        }
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<object?[]>();
        var more = false;
        while (await reader.ReadAsync(ct))
        {
            if (rows.Count == maxRows) { more = true; break; }
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return new SqlRows(columns, rows, more);
    }

    private static void Interrupt(DuckDBCommand cmd)
    {
        try { cmd.Cancel(); } catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or DuckDBException) { }
    }

    /// <summary>Runs setup SQL.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var c = _root.Duplicate();
        await c.OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<List<(string Name, string Type)>?> DescribeAsync(DuckDBConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "DESCRIBE " + sql;
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var columns = new List<(string, string)>();
            while (await reader.ReadAsync(ct)) columns.Add((reader.GetString(0), reader.GetString(1)));
            return columns;
        }
        catch (DuckDBException)
        {
            return null;  // not a query: run it as it is (and let it fail there if it is wrong)
        }
    }

    public void Dispose() => _root.Dispose();
}

/// <summary>What a SQL statement returned: columns with their DuckDB types, the rows read, whether more were left.</summary>
internal sealed record SqlRows(IReadOnlyList<(string Name, string Type)> Columns, IReadOnlyList<object?[]> Rows, bool More);
