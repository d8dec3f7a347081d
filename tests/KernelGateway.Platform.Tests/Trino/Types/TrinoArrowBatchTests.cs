using System.Text;
using System.Text.Json;
using Apache.Arrow;
using KernelGateway.Platform.Trino;
using KernelGateway.Platform.Warehouse;
using Microsoft.Data.Analysis;

namespace KernelGateway.Platform.Tests.Trino.Types;

/// <summary>
/// Arrow batches from decoded rows and straight from page JSON: the values Arrow holds (written by hand here), the
/// two routes agreeing for every case of the reference table, and the batches going through
/// <see cref="ArrowFrames"/> into a DataFrame.
/// </summary>
public sealed class TrinoArrowBatchTests
{
    private static TrinoColumn Column(string name, string type) => new(name, TrinoType.Parse(type));

    private static Utf8JsonReader ReaderOn(string dataJson)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(dataJson));
        reader.Read();
        return reader;
    }

    /// <summary>The same page both ways: decoded into rows then appended, and appended from its JSON.</summary>
    private static (RecordBatch FromRows, RecordBatch FromJson) BothWays(IReadOnlyList<TrinoColumn> columns, string dataJson)
    {
        var rows = new List<object?[]>();
        var reader = ReaderOn(dataJson);
        new TrinoRowDecoder(columns).ReadRows(ref reader, rows);
        var fromRows = new TrinoArrowBatchBuilder(columns);
        foreach (var row in rows) fromRows.Append(row);
        var fromJson = new TrinoArrowBatchBuilder(columns);
        reader = ReaderOn(dataJson);
        Assert.Equal(rows.Count, fromJson.AppendRows(ref reader));
        return (fromRows.Build(), fromJson.Build());
    }

    [Fact]
    public void Scalar_columns_hold_the_values_Arrow_stores_for_them()
    {
        TrinoColumn[] columns =
        [
            Column("id", "bigint"), Column("n", "integer"), Column("name", "varchar"), Column("score", "double"), Column("ratio", "real"),
            Column("ok", "boolean"), Column("price", "decimal(10,2)"), Column("big", "decimal(38,2)"), Column("day", "date"),
            Column("at", "timestamp(3)"), Column("when", "timestamp(3) with time zone"), Column("t", "time(6)"), Column("t7", "time(7)"),
            Column("bin", "varbinary"), Column("span", "interval day to second"), Column("months", "interval year to month"),
            Column("id2", "uuid"), Column("ts9", "timestamp(9)"),
        ];
        const string data = """
            [[9007199254740993, -7, "é\"x", 0.1, 1.5, true, "12.30", "123456789012345678901234567890123456.78", "2024-02-29",
              "2024-01-02 03:04:05.123", "2024-01-02 03:04:05.123 +05:30", "03:04:05.000001", "23:59:59.9999999",
              "AAEC/w==", "-3 04:05:06.789", "-1-2", "12151fd2-7586-11e9-8f9e-2a86e4085a59", "2024-01-02 03:04:05.123456789"],
             [null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null]]
            """;
        foreach (var batch in new[] { BothWays(columns, data).FromRows, BothWays(columns, data).FromJson })
        {
            Assert.Equal(2, batch.Length);
            Assert.Equal(9007199254740993L, ((Int64Array)batch.Column("id")).GetValue(0));
            Assert.Equal(-7, ((Int32Array)batch.Column("n")).GetValue(0));
            Assert.Equal("é\"x", ((StringArray)batch.Column("name")).GetString(0));
            Assert.Equal(0.1, ((DoubleArray)batch.Column("score")).GetValue(0));
            Assert.Equal(1.5f, ((FloatArray)batch.Column("ratio")).GetValue(0));
            Assert.True(((BooleanArray)batch.Column("ok")).GetValue(0));
            Assert.Equal(12.30m, ((Decimal128Array)batch.Column("price")).GetValue(0));
            Assert.Equal("123456789012345678901234567890123456.78", ((Decimal128Array)batch.Column("big")).GetString(0));
            Assert.Equal(19782, ((Date32Array)batch.Column("day")).GetValue(0)); // days from 1970-01-01 to 2024-02-29
            Assert.Equal(1704164645123000L, ((TimestampArray)batch.Column("at")).GetValue(0)); // 2024-01-02T03:04:05.123 in µs
            Assert.Equal(1704164645123000L - 19_800_000_000L, ((TimestampArray)batch.Column("when")).GetValue(0)); // 5h30 earlier in UTC
            Assert.Equal(11_045_000_001L, ((Time64Array)batch.Column("t")).GetValue(0)); // µs
            Assert.Equal(86_399_999_999_900L, ((Time64Array)batch.Column("t7")).GetValue(0)); // ns
            Assert.Equal(new byte[] { 0, 1, 2, 255 }, ((BinaryArray)batch.Column("bin")).GetBytes(0).ToArray());
            Assert.Equal("-3 04:05:06.789", ((StringArray)batch.Column("span")).GetString(0));
            Assert.Equal("-1-2", ((StringArray)batch.Column("months")).GetString(0));
            Assert.Equal("12151fd2-7586-11e9-8f9e-2a86e4085a59", ((StringArray)batch.Column("id2")).GetString(0));
            Assert.Equal("2024-01-02 03:04:05.123456789", ((StringArray)batch.Column("ts9")).GetString(0));
            for (var c = 0; c < columns.Length; c++)
            {
                Assert.True(batch.Column(c).IsNull(1), columns[c].Name);
                Assert.Equal(1, batch.Column(c).NullCount);
            }
        }
    }

    [Fact]
    public void Dates_and_timestamps_beyond_dotnet_years_keep_their_exact_value_in_Arrow()
    {
        TrinoColumn[] columns = [Column("day", "date"), Column("at", "timestamp(3)"), Column("when", "timestamp(3) with time zone")];
        const string data = """
            [["+10000-01-01", "+10000-01-01 00:00:00.000", "+10000-01-01 00:00:00.000 UTC"],
             ["-0001-12-31", "-0001-12-31 23:59:59.999", "-0001-12-31 23:59:59.999 UTC"]]
            """;
        var (fromRows, fromJson) = BothWays(columns, data);
        foreach (var batch in new[] { fromRows, fromJson })
        {
            Assert.Equal(2932897, ((Date32Array)batch.Column("day")).GetValue(0));
            Assert.Equal(-719529, ((Date32Array)batch.Column("day")).GetValue(1));
            Assert.Equal(2932897L * 86_400_000_000L, ((TimestampArray)batch.Column("at")).GetValue(0));
            Assert.Equal(-719528L * 86_400_000_000L - 1000, ((TimestampArray)batch.Column("at")).GetValue(1));
            Assert.Equal(2932897L * 86_400_000_000L, ((TimestampArray)batch.Column("when")).GetValue(0));
        }
    }

    [Fact]
    public void Nested_columns_become_lists_structs_and_maps_with_nulls_at_every_level()
    {
        TrinoColumn[] columns = [Column("tags", "array(varchar)"), Column("point", "row(x double, y double)"), Column("counts", "map(varchar, bigint)")];
        const string data = """
            [[["a", null], [1.5, null], {"k": 1, "n": null}],
             [null, null, null],
             [[], [null, 2.5], {}]]
            """;
        var (fromRows, fromJson) = BothWays(columns, data);
        foreach (var batch in new[] { fromRows, fromJson })
        {
            var tags = (ListArray)batch.Column("tags");
            Assert.Equal(2, tags.GetValueLength(0));
            Assert.Equal("a", ((StringArray)tags.Values).GetString(0));
            Assert.True(tags.Values.IsNull(1));
            Assert.True(tags.IsNull(1));
            Assert.Equal(0, tags.GetValueLength(2));

            var point = (StructArray)batch.Column("point");
            Assert.Equal(1.5, ((DoubleArray)point.Fields[0]).GetValue(0));
            Assert.True(point.Fields[1].IsNull(0));
            Assert.True(point.IsNull(1));
            Assert.True(point.Fields[0].IsNull(2));
            Assert.Equal(2.5, ((DoubleArray)point.Fields[1]).GetValue(2));

            var counts = (MapArray)batch.Column("counts");
            Assert.Equal(2, counts.GetValueLength(0));
            Assert.Equal(["k", "n"], new[] { ((StringArray)counts.Keys).GetString(0), ((StringArray)counts.Keys).GetString(1) });
            Assert.Equal(1L, ((Int64Array)counts.Values).GetValue(0));
            Assert.True(counts.Values.IsNull(1));
            Assert.True(counts.IsNull(1));
            Assert.Equal(0, counts.GetValueLength(2));
        }
    }

    [Theory]
    [MemberData(nameof(TrinoValueReferenceTests.Names), MemberType = typeof(TrinoValueReferenceTests))]
    public void Rows_and_page_json_build_the_same_Arrow_column_for_every_reference_value(string name)
    {
        var c = TrinoValueReferenceTests.CaseNamed(name);
        using var signature = JsonDocument.Parse(c.Signature.Trino());
        TrinoColumn[] columns = [new("v", TrinoType.Parse(signature.RootElement))];
        var (fromRows, fromJson) = BothWays(columns, $"[[{c.Json}], [null]]");
        Assert.Equal(TrinoValueReferenceTests.Describe(columns[0].Type.ArrowType), TrinoValueReferenceTests.Describe(fromRows.Column(0).Data.DataType));
        Assert.Equal(ArrowJson.Value(fromRows.Column(0), 0), ArrowJson.Value(fromJson.Column(0), 0));
        Assert.True(fromRows.Column(0).IsNull(1));
        Assert.True(fromJson.Column(0).IsNull(1));
    }

    [Fact]
    public void The_schema_names_each_columns_Trino_type_and_a_build_starts_a_new_batch()
    {
        var builder = new TrinoArrowBatchBuilder([Column("a", "decimal(10,2)"), Column("a", "row(x integer)")]);
        Assert.Equal(["decimal(10,2)", "row(x integer)"], builder.Schema.FieldsList.Select(f => f.Metadata[TrinoArrowBatchBuilder.TrinoTypeMetadataKey]));
        builder.Append([1.5m, null]);
        Assert.Equal(1, builder.Count);
        Assert.Equal(1, builder.Build().Length);
        Assert.Equal(0, builder.Count);
        builder.Append(new object?[] { null, new TrinoRow(["x"], [3]) });
        var second = builder.Build();
        Assert.Equal(1, second.Length);
        Assert.Equal(3, ((Int32Array)((StructArray)second.Column(1)).Fields[0]).GetValue(0));
        Assert.Throws<ArgumentException>(() => builder.Append([1m]));
    }

    [Fact]
    public void Batches_go_through_ArrowFrames_into_a_typed_DataFrame()
    {
        TrinoColumn[] columns =
        [
            Column("id", "bigint"), Column("name", "varchar"), Column("score", "double"), Column("day", "date"), Column("at", "timestamp(3)"),
            Column("ok", "boolean"), Column("price", "decimal(10,2)"), Column("big", "decimal(38,0)"), Column("t", "time(3)"),
            Column("bin", "varbinary"), Column("tags", "array(integer)"), Column("point", "row(x double, label varchar)"), Column("m", "map(integer, varchar)"),
        ];
        const string page1 = """
            [[1, "a", 0.5, "2024-01-02", "2024-01-02 03:04:05.123", true, "1.50", "99999999999999999999999999999999999999", "03:04:05.123",
              "AAE=", [1, null], [1.5, "p"], {"1": "one"}]]
            """;
        const string page2 = """[[null, null, null, null, null, null, null, null, null, null, null, null, null]]""";
        var builder = new TrinoArrowBatchBuilder(columns);
        var batches = new List<RecordBatch>();
        foreach (var page in new[] { page1, page2 })
        {
            var reader = ReaderOn(page);
            builder.AppendRows(ref reader);
            batches.Add(builder.Build());
        }
        var frame = ArrowFrames.ToDataFrame(builder.Schema, batches);
        Assert.Equal(2, frame.Rows.Count);
        Assert.IsType<Int64DataFrameColumn>(frame.Columns["id"]);
        Assert.Equal(1L, frame.Columns["id"][0]);
        Assert.Equal("a", frame.Columns["name"][0]);
        Assert.Equal(0.5, frame.Columns["score"][0]);
        Assert.Equal(new DateTime(2024, 1, 2), frame.Columns["day"][0]);
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, 123), frame.Columns["at"][0]);
        Assert.Equal(true, frame.Columns["ok"][0]);
        Assert.IsType<DecimalDataFrameColumn>(frame.Columns["price"]);
        Assert.Equal(1.50m, frame.Columns["price"][0]);
        Assert.IsType<StringDataFrameColumn>(frame.Columns["big"]); // beyond System.Decimal: its exact digits
        Assert.Equal("99999999999999999999999999999999999999", frame.Columns["big"][0]);
        Assert.Equal(new TimeOnly(3, 4, 5, 123), frame.Columns["t"][0]);
        Assert.Equal("AAE=", frame.Columns["bin"][0]);
        Assert.Equal("[1,null]", frame.Columns["tags"][0]);
        Assert.Equal("{\"x\":1.5,\"label\":\"p\"}", frame.Columns["point"][0]);
        Assert.Equal("{\"1\":\"one\"}", frame.Columns["m"][0]);
        foreach (var column in frame.Columns) Assert.Null(column[1]);
    }

    [Fact]
    public void Decimals_that_fit_System_Decimal_stay_decimals_in_a_DataFrame_even_at_precision_38()
    {
        var builder = new TrinoArrowBatchBuilder([Column("d", "decimal(38,2)")]);
        var reader = ReaderOn("""[["12.30"], ["-0.05"]]""");
        builder.AppendRows(ref reader);
        var frame = ArrowFrames.ToDataFrame(builder.Schema, [builder.Build()]);
        Assert.IsType<DecimalDataFrameColumn>(frame.Columns["d"]);
        Assert.Equal([12.30m, -0.05m], frame.Columns["d"].Cast<decimal?>());
    }
}
