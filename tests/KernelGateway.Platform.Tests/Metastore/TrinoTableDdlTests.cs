using KernelGateway.Platform.Metastore;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>
/// Reading what Trino's SHOW CREATE TABLE writes for connectors the fixture cannot be (its memory catalog has no
/// properties): Hive and Iceberg DDL as Trino prints them, and Trino's type spellings.
/// </summary>
public sealed class TrinoTableDdlTests
{
    private const string Hive = """
        CREATE TABLE hive.web."Page Views" (
           view_time timestamp(3),
           user_id bigint COMMENT 'who, or ''anonymous''',
           "Country, Code" varchar(2),
           ds varchar
        )
        COMMENT 'one row per page view'
        WITH (
           external_location = 's3://bucket/page_views',
           format = 'ORC',
           partitioned_by = ARRAY['ds','Country, Code'],
           bucket_count = 8
        )
        """;

    private const string Iceberg = """
        CREATE TABLE iceberg.sales.events (
           id bigint,
           ts timestamp(6) with time zone,
           "Event Kind" varchar
        )
        WITH (
           format = 'PARQUET',
           format_version = 2,
           location = 's3://lake/sales/events-5f1c',
           partitioning = ARRAY['day(ts)','bucket(id, 16)','"Event Kind"']
        )
        """;

    [Fact]
    public void A_hive_ddl_gives_its_comment_format_location_partition_keys_and_other_properties()
    {
        var ddl = TrinoTableDdl.Parse(Hive);
        Assert.Equal("one row per page view", ddl.Comment);
        Assert.Equal(["external_location", "format", "partitioned_by", "bucket_count"], ddl.Properties.Select(p => p.Name));
        Assert.Equal(["ds", "Country, Code"], ddl.Properties[2].Items);
        Assert.Equal("8", ddl.Properties[3].Value);

        var table = TrinoTableDetails.WithDdl(Table("view_time", "user_id", "Country, Code", "ds"), Hive);
        Assert.Equal(("ORC", "s3://bucket/page_views", "ds, Country, Code"), (table.Format, table.Location, table.PartitionSpec));
        Assert.Equal([false, false, true, true], table.Columns.Select(c => c.IsPartitionKey));
        Assert.Equal("one row per page view", table.Comment);
        Assert.Equal(new Dictionary<string, string> { ["bucket_count"] = "8" }, table.Properties);
        Assert.Equal(Hive.Trim(), table.Definition);
    }

    [Fact]
    public void An_iceberg_ddl_gives_its_partition_transforms_and_their_columns()
    {
        var table = TrinoTableDetails.WithDdl(Table("id", "ts", "Event Kind"), Iceberg);
        Assert.Equal("day(ts), bucket(id, 16), \"Event Kind\"", table.PartitionSpec);
        Assert.Equal([true, true, true], table.Columns.Select(c => c.IsPartitionKey));
        Assert.Equal(("PARQUET", "s3://lake/sales/events-5f1c"), (table.Format, table.Location));
        Assert.Equal(new Dictionary<string, string> { ["format_version"] = "2" }, table.Properties);
        Assert.Null(table.Comment);
    }

    [Fact]
    public void A_ddl_without_properties_or_a_column_list_gives_nothing_extra()
    {
        Assert.Equal("c", TrinoTableDdl.Parse("CREATE TABLE memory.s.t (\n   a integer\n)\nCOMMENT 'c'").Comment);
        Assert.Empty(TrinoTableDdl.Parse("CREATE TABLE memory.s.t (\n   a integer\n)").Properties);
        Assert.Null(TrinoTableDdl.Parse("not a ddl").Comment);
    }

    [Theory]
    [InlineData("varchar(25)", "string")]
    [InlineData("char(3)", "string")]
    [InlineData("decimal(12,2)", "number")]
    [InlineData("real", "number")]
    [InlineData("timestamp(3)", "datetime")]
    [InlineData("timestamp(3) with time zone", "datetime")]
    [InlineData("time(6) with time zone", "time")]
    [InlineData("interval day to second", "duration")]
    [InlineData("interval year to month", "duration")]
    [InlineData("array(integer)", "array")]
    [InlineData("row(a integer, \"b c\" varchar)", "object")]
    [InlineData("map(varchar, bigint)", "object")]
    [InlineData("varbinary", "string")]
    [InlineData("ipaddress", "string")]
    [InlineData("uuid", "string")]
    public void Trino_type_spellings_map_to_table_schema_types(string trinoType, string expected) =>
        Assert.Equal(expected, SqlTypeNames.TableSchemaType(trinoType));

    [Fact]
    public void Names_become_quoted_identifiers_and_literals_that_keep_every_character()
    {
        Assert.Equal("\"My \"\"Quoted\"\" Table\"", TrinoSqlNames.Identifier("My \"Quoted\" Table"));
        Assert.Equal("\"Odd.Schema\".\"ünï\"", TrinoSqlNames.Qualified("Odd.Schema", "ünï"));
        Assert.Equal("'it''s ñ'", TrinoSqlNames.Literal("it's ñ"));
        Assert.Throws<ArgumentException>(() => TrinoSqlNames.Literal("nul\0"));
    }

    private static MetastoreTable Table(params string[] columns)
    {
        var at = new MetastoreAddress("c", "cat", "s", "t");
        return new MetastoreTable
        {
            Address = at,
            Kind = MetastoreTableKind.Table,
            Columns = columns.Select((c, i) => new MetastoreColumn(at.Child(c), "varchar", "string", true, null, i + 1, false)).ToList(),
        };
    }
}
