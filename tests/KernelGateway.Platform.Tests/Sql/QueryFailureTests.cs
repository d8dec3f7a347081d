using KernelGateway.Platform.Sql;
using KernelGateway.Platform.Trino;

namespace KernelGateway.Platform.Tests.Sql;

public sealed class QueryFailureTests
{
    [Fact]
    public async Task DuckDB_errors_point_at_the_line_and_column_of_the_bad_token()
    {
        await using var db = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        var sql = "SELECT 1,\n  2 FRM x";
        command.CommandText = sql;
        var e = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => command.ExecuteReaderAsync());
        var failure = QueryFailure.From(e, sql)!;
        Assert.Equal(2, failure.Line);
        Assert.Equal("  2 FRM x".IndexOf("x", StringComparison.Ordinal) + 1, failure.Column);
        Assert.Contains("syntax error", failure.Message);
    }

    [Fact]
    public void Trino_errors_carry_the_servers_location_name_and_query()
    {
        var e = new TrinoQueryException("20261202_000000_00001_abcde", "line 2:3: Column 'x' cannot be resolved", "COLUMN_NOT_FOUND", "USER_ERROR", 47, null, 2, 3, "io.trino.spi.TrinoException");
        var failure = QueryFailure.From(e, "select\n  x")!;
        Assert.Equal((2, 3), (failure.Line, failure.Column));
        Assert.Equal("COLUMN_NOT_FOUND", failure.Code);
        Assert.Equal("20261202_000000_00001_abcde", failure.QueryId);
        Assert.Null(QueryFailure.From(new InvalidOperationException("bug"), "x"));
    }
}
