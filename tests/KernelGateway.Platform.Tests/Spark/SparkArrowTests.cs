using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Dapper;
using Google.Protobuf;
using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Platform.Spark.Connect.Proto;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>Arrow batches as Spark sends them: each ArrowBatch.data a whole IPC stream, written here with Apache.Arrow's own writer.</summary>
public sealed class SparkArrowTests
{
    private sealed record Row(long Id, string? Name, DateOnly Day);

    private static RecordBatch Batch(long first, int count)
    {
        var ids = new Int64Array.Builder();
        var names = new StringArray.Builder();
        var days = new Date32Array.Builder();
        for (var i = 0; i < count; i++)
        {
            ids.Append(first + i);
            if ((first + i) % 3 == 0) names.AppendNull(); else names.Append($"n{first + i}");
            days.Append(new DateOnly(2024, 1, 1).AddDays((int)(first + i)));
        }
        var schema = new Schema([new Field("id", Int64Type.Default, false), new Field("name", StringType.Default, true), new Field("day", Date32Type.Default, false)], null);
        return new RecordBatch(schema, [ids.Build(), names.Build(), days.Build()], count);
    }

    private static ByteString Ipc(Schema schema, params RecordBatch[] batches)
    {
        using var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, schema, leaveOpen: true))
        {
            writer.WriteStart();
            foreach (var b in batches) writer.WriteRecordBatch(b);
            writer.WriteEnd();
        }
        return ByteString.CopyFrom(stream.ToArray());
    }

    [Fact]
    public void A_batch_is_read_with_its_schema_and_values()
    {
        var sent = Batch(0, 5);
        var (schema, batches) = SparkArrowBatches.Read(new ExecutePlanResponse.Types.ArrowBatch { RowCount = 5, Data = Ipc(sent.Schema, sent) }, "op");
        Assert.Equal(["id", "name", "day"], schema!.FieldsList.Select(f => f.Name));
        var got = Assert.Single(batches);
        Assert.Equal([0L, 1, 2, 3, 4], ((Int64Array)got.Column(0)).Values.ToArray());
        Assert.Null(((StringArray)got.Column(1)).GetString(0));
        Assert.Equal("n4", ((StringArray)got.Column(1)).GetString(4));
        Assert.Equal(new DateOnly(2024, 1, 3), ((Date32Array)got.Column(2)).GetDateOnly(2));
    }

    [Fact]
    public void Several_record_batches_in_one_stream_are_all_read_and_counted()
    {
        var (a, b) = (Batch(0, 3), Batch(3, 4));
        var (_, batches) = SparkArrowBatches.Read(new ExecutePlanResponse.Types.ArrowBatch { RowCount = 7, Data = Ipc(a.Schema, a, b) }, "op");
        Assert.Equal([3, 4], batches.Select(x => x.Length));
    }

    [Fact]
    public void A_row_count_that_differs_from_the_data_is_an_error()
    {
        var sent = Batch(0, 5);
        var e = Assert.Throws<SparkConnectException>(() => SparkArrowBatches.Read(new ExecutePlanResponse.Types.ArrowBatch { RowCount = 6, Data = Ipc(sent.Schema, sent) }, "op-9"));
        Assert.Contains("row_count is 6 but which holds 5 rows", e.Message);
        Assert.Equal("op-9", e.OperationId);
        Assert.Throws<SparkConnectException>(() => SparkArrowBatches.Read(new ExecutePlanResponse.Types.ArrowBatch { RowCount = 1, Data = ByteString.CopyFromUtf8("not arrow") }, "op"));
    }

    [Fact]
    public void A_schema_alone_gives_no_batch_and_an_empty_batch_can_be_made_for_any_type()
    {
        var schema = new Schema(
        [
            new Field("i", Int32Type.Default, true), new Field("s", StringType.Default, true), new Field("b", BinaryType.Default, true),
            new Field("d", new Decimal128Type(10, 2), true), new Field("t", new TimestampType(TimeUnit.Microsecond, "UTC"), true),
            new Field("l", new ListType(new Field("element", Int64Type.Default, true)), true),
            new Field("st", new StructType([new Field("x", DoubleType.Default, true)]), true),
            new Field("m", new MapType(new Field("key", StringType.Default, false), new Field("value", Int32Type.Default, true)), true),
            new Field("n", NullType.Default, true), new Field("du", DurationType.Microsecond, true),
        ], null);
        var (read, batches) = SparkArrowBatches.Read(new ExecutePlanResponse.Types.ArrowBatch { RowCount = 0, Data = Ipc(schema) }, "op");
        Assert.Empty(batches);
        Assert.Equal(schema.FieldsList.Select(f => f.Name), read!.FieldsList.Select(f => f.Name));
        using var empty = SparkArrowBatches.Empty(read);
        Assert.Equal(0, empty.Length);
        var frame = ArrowFrames.ToDataFrame(read, [empty]);
        Assert.Equal((0L, 10), (frame.Rows.Count, frame.Columns.Count));
    }

    [Fact]
    public void Spark_types_map_to_the_arrow_types_spark_sends()
    {
        var row = new DataType { Struct = new() };
        void Add(string name, DataType type) => row.Struct.Fields.Add(new DataType.Types.StructField { Name = name, DataType = type, Nullable = true });
        Add("l", new DataType { Long = new() });
        Add("d", new DataType { Decimal = new() { Precision = 12, Scale = 3 } });
        Add("ts", new DataType { Timestamp = new() });
        Add("ntz", new DataType { TimestampNtz = new() });
        Add("dt", new DataType { DayTimeInterval = new() });
        Add("a", new DataType { Array = new() { ElementType = new DataType { String = new() }, ContainsNull = true } });
        Add("m", new DataType { Map = new() { KeyType = new DataType { Integer = new() }, ValueType = new DataType { Boolean = new() } } });
        Add("v", new DataType { VarChar = new() { Length = 5 } });
        var schema = SparkTypes.ToArrowSchema(row);
        Assert.Equal([ArrowTypeId.Int64, ArrowTypeId.Decimal128, ArrowTypeId.Timestamp, ArrowTypeId.Timestamp, ArrowTypeId.Duration, ArrowTypeId.List, ArrowTypeId.Map, ArrowTypeId.String],
            schema.FieldsList.Select(f => f.DataType.TypeId));
        Assert.Equal((12, 3), ((Decimal128Type)schema.FieldsList[1].DataType) is var d ? (d.Precision, d.Scale) : default);
        Assert.Equal("UTC", ((TimestampType)schema.FieldsList[2].DataType).Timezone);
        Assert.Null(((TimestampType)schema.FieldsList[3].DataType).Timezone);
        Assert.Equal(TimeUnit.Microsecond, ((TimestampType)schema.FieldsList[3].DataType).Unit);
        Assert.Throws<FormatException>(() => SparkTypes.ToArrow(new DataType()));
    }

    [Fact]
    public async Task Dapper_maps_arrow_rows_to_records_across_batches()
    {
        await using var reader = new ArrowDataReader(Batches(Batch(0, 2), Batch(2, 0), Batch(2, 2)), CancellationToken.None);
        Assert.True(await reader.ReadAsync());
        var parse = reader.GetRowParser<Row>();
        var rows = new List<Row>();
        do rows.Add(parse(reader));
        while (await reader.ReadAsync());
        Assert.Equal(
            [new Row(0, null, new DateOnly(2024, 1, 1)), new Row(1, "n1", new DateOnly(2024, 1, 2)), new Row(2, "n2", new DateOnly(2024, 1, 3)), new Row(3, null, new DateOnly(2024, 1, 4))],
            rows);
    }

    private static async IAsyncEnumerable<RecordBatch> Batches(params RecordBatch[] batches)
    {
        foreach (var b in batches)
        {
            await Task.Yield();
            yield return b;
        }
    }
}
