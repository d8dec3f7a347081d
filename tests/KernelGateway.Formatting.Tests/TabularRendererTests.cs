using System.Diagnostics;
using System.Text;
using System.Text.Json;
using KernelGateway.Formatting.Tabular;
using Microsoft.Data.Sqlite;

namespace KernelGateway.Formatting.Tests;

public sealed class TabularRendererTests
{
    private static async Task<TabularResult> FromSqlite(string sql, TabularLimits? limits = null)
    {
        await using var db = new SqliteConnection("Data Source=:memory:");
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync();
        return await TabularResult.ReadAsync(reader, limits);
    }

    /// <summary>The Table Schema rules a data explorer relies on.</summary>
    private static void AssertValidDataResource(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var fields = doc.RootElement.GetProperty("schema").GetProperty("fields").EnumerateArray().ToList();
        var names = fields.Select(f => f.GetProperty("name").GetString()!).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.False(string.IsNullOrEmpty(n)));
        Assert.All(fields, f => Assert.Contains(f.GetProperty("type").GetString()!, TableSchemaTypes.All));
        Assert.All(doc.RootElement.GetProperty("data").EnumerateArray(), row =>
        {
            Assert.Equal(JsonValueKind.Object, row.ValueKind);
            Assert.Equal(names, row.EnumerateObject().Select(p => p.Name).ToList());
        });
    }

    [Fact]
    public async Task A_sqlite_result_becomes_a_valid_data_resource_that_pandas_reads_back()
    {
        var table = await FromSqlite("""
            SELECT 1 AS id, 'Ada <b>"Lovelace"</b>' AS name, 3.5 AS score, NULL AS missing
            UNION ALL SELECT 2, 'Grace', -1.25, NULL
            """);
        var json = TabularRenderer.DataResource(table);
        AssertValidDataResource(json);

        var path = Path.GetTempFileName();
        File.WriteAllBytes(path, json);
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("import sys, pandas as pd; df = pd.read_json(open(sys.argv[1]).read(), orient='table'); print(df['name'][0]); print(df['score'].sum()); print(int(df['id'].sum()))");
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd().Split('\n');
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        Assert.Equal("Ada <b>\"Lovelace\"</b>", output[0]);
        Assert.Equal("2.25", output[1]);
        Assert.Equal("3", output[2]);
    }

    [Fact]
    public void Html_escapes_every_value_and_name_and_shows_types()
    {
        var table = TabularResult.FromRows([("<th>name", typeof(string)), ("n", typeof(int))],
            [["<script>alert('x')</script> & \"q\"", 1]]);
        var html = TabularRenderer.Html(table);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<th>name", html.Replace("<th>&lt;th&gt;name", ""));
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;", html);
        Assert.Contains("<small>integer</small>", html);
        Assert.Contains("1 row", html);
    }

    [Fact]
    public void Truncation_is_visible_with_the_total_when_known()
    {
        var rows = Enumerable.Range(0, 120).Select(i => new object?[] { i });
        var table = TabularResult.FromRows([("i", typeof(int))], rows, new TabularLimits { DataResourceRows = 100 }, totalRows: 120);
        Assert.Equal(100, table.Rows.Count);
        var plain = TabularRenderer.PlainText(table, new TabularLimits { DisplayRows = 10 });
        Assert.EndsWith("showing 10 of 120 rows", plain);
        Assert.Contains("showing 50 of 120 rows", TabularRenderer.Html(table));
        using var doc = JsonDocument.Parse(TabularRenderer.DataResource(table));
        Assert.Equal(100, doc.RootElement.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public void A_huge_source_is_read_only_up_to_the_limit()
    {
        long produced = 0;
        IEnumerable<object?[]> Endless() { for (long i = 0; ; i++) { produced++; yield return [i]; } }
        var table = TabularResult.FromRows([("i", typeof(long))], Endless());
        Assert.Equal(10_000, table.Rows.Count);
        Assert.True(table.HasMoreRows);
        Assert.Null(table.TotalRows);
        Assert.Equal(10_001, produced);
        Assert.Contains("more rows not counted", TabularRenderer.PlainText(table));
    }

    [Fact]
    public void Plain_text_aligns_columns_right_aligns_numbers_and_cuts_long_cells()
    {
        var table = TabularResult.FromRows([("name", typeof(string)), ("amount", typeof(decimal))],
            [["a", 1.5m], [new string('x', 100), 1234.25m]]);
        var lines = TabularRenderer.PlainText(table, new TabularLimits { PlainCellWidth = 10 }).Split('\n');
        Assert.Equal("name         amount", lines[0]);
        Assert.Equal("----------  -------", lines[1]);
        Assert.Equal("a               1.5", lines[2]);
        Assert.Equal("xxxxxxxxx…  1234.25", lines[3]);
    }

    [Theory]
    [InlineData(typeof(int), "integer")]
    [InlineData(typeof(long?), "integer")]
    [InlineData(typeof(System.Numerics.BigInteger), "integer")]
    [InlineData(typeof(double), "number")]
    [InlineData(typeof(decimal), "number")]
    [InlineData(typeof(bool), "boolean")]
    [InlineData(typeof(string), "string")]
    [InlineData(typeof(Guid), "string")]
    [InlineData(typeof(byte[]), "string")]
    [InlineData(typeof(DateOnly), "date")]
    [InlineData(typeof(TimeOnly), "time")]
    [InlineData(typeof(DateTime), "datetime")]
    [InlineData(typeof(DateTimeOffset), "datetime")]
    [InlineData(typeof(TimeSpan), "duration")]
    [InlineData(typeof(List<int>), "array")]
    [InlineData(typeof(int[]), "array")]
    [InlineData(typeof(Dictionary<string, object>), "object")]
    [InlineData(typeof(object), "any")]
    public void Dotnet_types_map_to_table_schema_types(Type type, string expected) => Assert.Equal(expected, TableSchemaTypes.For(type));

    [Fact]
    public void Values_are_written_as_json_the_spec_allows()
    {
        var table = TabularResult.FromRows(
            [("nan", typeof(double)), ("inf", typeof(double)), ("date", typeof(DateOnly)), ("ts", typeof(DateTime)), ("tz", typeof(DateTimeOffset)),
             ("dur", typeof(TimeSpan)), ("list", typeof(List<int>)), ("map", typeof(Dictionary<string, object>)), ("blob", typeof(byte[])), ("big", typeof(System.Numerics.BigInteger))],
            [[double.NaN, double.PositiveInfinity, new DateOnly(2024, 2, 29), new DateTime(2024, 1, 2, 3, 4, 5), new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
              new TimeSpan(1, 2, 3, 4, 500), new List<int> { 1, 2 }, new Dictionary<string, object> { ["k"] = "v" }, new byte[] { 1, 2, 3 }, System.Numerics.BigInteger.Pow(10, 30)]]);
        var json = TabularRenderer.DataResource(table);
        AssertValidDataResource(json);
        using var doc = JsonDocument.Parse(json);
        var row = doc.RootElement.GetProperty("data")[0];
        Assert.Equal(JsonValueKind.Null, row.GetProperty("nan").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("inf").ValueKind);
        Assert.Equal("2024-02-29", row.GetProperty("date").GetString());
        Assert.Equal("2024-01-02T03:04:05", row.GetProperty("ts").GetString());
        Assert.Equal("2024-01-02T03:04:05.0000000+02:00", row.GetProperty("tz").GetString());
        Assert.Equal("P1DT2H3M4.5S", row.GetProperty("dur").GetString());
        Assert.Equal("[1,2]", row.GetProperty("list").GetRawText());
        Assert.Equal("v", row.GetProperty("map").GetProperty("k").GetString());
        Assert.Equal("AQID", row.GetProperty("blob").GetString());
        Assert.Equal("1000000000000000000000000000000", row.GetProperty("big").GetRawText());
    }

    [Fact]
    public void Duplicate_and_empty_column_names_are_made_unique()
    {
        var table = TabularResult.FromRows([("a", typeof(int)), ("a", typeof(int)), ("", typeof(int))], [[1, 2, 3]]);
        Assert.Equal(["a", "a_1", "column_2"], table.Fields.Select(f => f.Name));
        AssertValidDataResource(TabularRenderer.DataResource(table));
    }

    [Fact]
    public void Records_become_columns()
    {
        var table = TabularResult.FromObjects(new[] { new { Title = "Dune", Year = 1965 }, new { Title = "Emma", Year = 1815 } });
        Assert.Equal(["Title", "Year"], table.Fields.Select(f => f.Name));
        Assert.Equal("integer", table.Fields[1].Type);
        Assert.Equal(2, table.TotalRows);
        var csv = TabularRenderer.Csv(TabularResult.FromRows([("t", typeof(string))], [["a,\"b\""]]));
        Assert.Equal("t\r\n\"a,\"\"b\"\"\"\r\n", csv);
    }
}
