using KernelGateway.Platform.Metastore;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>
/// DESCRIBE TABLE EXTENDED as Spark 3.5 prints it for a partitioned parquet table of the session catalog and for
/// an Iceberg (v2) table, transcribed by hand in Spark's row layout (col_name, data_type, comment).
/// </summary>
public sealed class SparkTableDetailsTests
{
    private static IEnumerable<(string, string, string?)> Rows(string tabSeparated) =>
        tabSeparated.Split('\n').Select(line => line.Split('\t')).Select(f => (f[0], f.Length > 1 ? f[1] : "", f.Length > 2 ? f[2] : null));

    [Fact]
    public void A_hive_style_partitioned_table_gives_its_partition_columns_owner_location_provider_statistics_and_properties()
    {
        var d = SparkTableDetails.Parse(Rows("""
            id	bigint	null
            ts	timestamp	null
            day	date	null
            # Partition Information		
            # col_name	data_type	comment
            day	date	null
            		
            # Detailed Table Information		
            Catalog	spark_catalog	
            Database	default	
            Table	events	
            Owner	root	
            Created Time	Wed Dec 02 10:00:00 UTC 2026	
            Last Access	UNKNOWN	
            Created By	Spark 3.5.1	
            Type	MANAGED	
            Provider	parquet	
            Comment	events, daily	
            Table Properties	[quality=gold, note=a, b and c, team=data]	
            Statistics	2048 bytes, 10 rows	
            Location	file:/spark-warehouse/events	
            Partition Provider	Catalog	
            """));
        Assert.Equal(("root", "file:/spark-warehouse/events", "parquet", "events, daily"), (d.Owner, d.Location, d.Provider, d.Comment));
        Assert.Equal("day", d.PartitionSpec);
        Assert.Equal(["day"], d.PartitionColumns);
        Assert.Equal((10L, 2048L), (d.RowCount, d.SizeBytes));
        Assert.Equal("gold", d.Properties["quality"]);
        Assert.Equal("a, b and c", d.Properties["note"]);
        Assert.Equal("data", d.Properties["team"]);
        Assert.Equal("Catalog", d.Properties["Partition Provider"]);
        Assert.Equal("Spark 3.5.1", d.Properties["Created By"]);
        Assert.False(d.Properties.ContainsKey("Last Access"));
        Assert.Null(d.ViewText);
    }

    [Fact]
    public void A_v2_table_gives_its_partition_transforms_and_skips_metadata_columns()
    {
        var d = SparkTableDetails.Parse(Rows("""
            id	bigint	
            ts	timestamp	
            		
            # Partitioning		
            Part 0	days(ts)	
            Part 1	bucket(16, id)	
            		
            # Metadata Columns		
            _spec_id	int	
            _partition	struct<>	
            		
            # Detailed Table Information		
            Name	lake.db.events	
            Type	MANAGED	
            Location	s3://bucket/db/events	
            Provider	iceberg	
            Owner	root	
            Table Properties	[current-snapshot-id=123, format=iceberg/parquet, write.format.default=parquet]	
            """));
        Assert.Equal("days(ts), bucket(16, id)", d.PartitionSpec);
        Assert.Equal(["ts"], d.PartitionColumns);
        Assert.Equal(("iceberg", "s3://bucket/db/events"), (d.Provider, d.Location));
        Assert.Equal("iceberg/parquet", d.Properties["format"]);
        Assert.Equal(3, d.Properties.Count);
        Assert.Null(d.RowCount);
    }

    [Fact]
    public void A_view_gives_its_text_and_nothing_is_invented_from_no_rows()
    {
        var view = SparkTableDetails.Parse(Rows("""
            order_id	bigint	null
            		
            # Detailed Table Information		
            Type	VIEW	
            View Text	SELECT order_id FROM sales.orders	
            View Original Text	SELECT order_id FROM sales.orders	
            """));
        Assert.Equal("SELECT order_id FROM sales.orders", view.ViewText);
        var none = SparkTableDetails.Parse([]);
        Assert.Equal((null, null, null, null, null), (none.Owner, none.Location, none.Provider, none.PartitionSpec, none.ViewText));
        Assert.Empty(none.Properties);
    }
}
