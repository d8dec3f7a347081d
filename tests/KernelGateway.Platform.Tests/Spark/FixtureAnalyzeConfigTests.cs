using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Grpc.Core;
using KernelGateway.Tests.Fixtures.Spark.Connect;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;
using static KernelGateway.Platform.Tests.Spark.SparkProtocolClient;
using ConfigOp = KernelGateway.Tests.Fixtures.Spark.Connect.Proto.ConfigRequest.Types.Operation;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>AnalyzePlan and Config of the Spark Connect fixture.</summary>
public sealed class FixtureAnalyzeConfigTests
{
    [Fact]
    public async Task AnalyzePlan_gives_a_schema_without_running_the_query_a_tree_string_an_explanation_and_the_version()
    {
        await using var server = await SparkConnectServer.StartAsync(new SparkConnectServerOptions { SparkVersion = "3.5.4" });
        using var c = new SparkProtocolClient(server);
        const string failsWhenRun = "SELECT CAST('x' AS INT) AS broken, ARRAY(1) AS list, map('k', 1.5) AS m";
        var plan = new Plan { Root = new Relation { Sql = new SQL { Query = failsWhenRun } } };

        var schema = await Analyze(c, new AnalyzePlanRequest { Schema = new AnalyzePlanRequest.Types.Schema { Plan = plan } });
        var tree = await Analyze(c, new AnalyzePlanRequest { TreeString = new AnalyzePlanRequest.Types.TreeString { Plan = plan } });
        var explain = await Analyze(c, new AnalyzePlanRequest { Explain = new AnalyzePlanRequest.Types.Explain { Plan = plan } });
        var version = await Analyze(c, new AnalyzePlanRequest { SparkVersion = new AnalyzePlanRequest.Types.SparkVersion() });
        var (_, ran) = await c.ExecuteAsync(c.Request(plan));

        Assert.Equal(["broken", "list", "m"], schema.Schema.Schema_.Struct.Fields.Select(f => f.Name));
        Assert.Equal(DataType.KindOneofCase.Integer, schema.Schema.Schema_.Struct.Fields[0].DataType.KindCase);
        Assert.Equal(DataType.KindOneofCase.Integer, schema.Schema.Schema_.Struct.Fields[1].DataType.Array.ElementType.KindCase);
        Assert.Equal((2, 1), (schema.Schema.Schema_.Struct.Fields[2].DataType.Map.ValueType.Decimal.Precision, schema.Schema.Schema_.Struct.Fields[2].DataType.Map.ValueType.Decimal.Scale));
        Assert.Equal("""
            root
             |-- broken: integer (nullable = true)
             |-- list: array (nullable = true)
             |    |-- element: integer (containsNull = true)
             |-- m: map (nullable = true)
             |    |-- key: string
             |    |-- value: decimal(2,1) (valueContainsNull = true)

            """.Replace("\r", ""), tree.TreeString.TreeString_);
        Assert.StartsWith("== Physical Plan ==\n", explain.Explain.ExplainString);
        Assert.Contains("PROJECTION", explain.Explain.ExplainString);
        Assert.Equal("3.5.4", version.SparkVersion.Version);
        Assert.All([schema, tree, explain, version], r => Assert.Equal(c.SessionId, r.SessionId));
        Assert.Equal("CAST_INVALID_INPUT", Info(ran!).Metadata["errorClass"]);
    }

    [Fact]
    public async Task Config_sets_gets_lists_unsets_and_reports_modifiability_per_session()
    {
        await using var server = await SparkConnectServer.StartAsync();
        using var c = new SparkProtocolClient(server);
        using var other = new SparkProtocolClient(server);

        await Config(c, new ConfigOp { Set = new ConfigRequest.Types.Set { Pairs = { Pair("spark.sql.shuffle.partitions", "8"), Pair("spark.kg.custom", "x") } } });
        var get = await Config(c, new ConfigOp { Get = new ConfigRequest.Types.Get { Keys = { "spark.sql.shuffle.partitions", "spark.sql.ansi.enabled" } } });
        var otherGet = await Config(other, new ConfigOp { Get = new ConfigRequest.Types.Get { Keys = { "spark.sql.shuffle.partitions" } } });
        var withDefault = await Config(c, new ConfigOp { GetWithDefault = new ConfigRequest.Types.GetWithDefault { Pairs = { Pair("spark.kg.custom", "d"), Pair("spark.kg.none", "d") } } });
        var option = await Config(c, new ConfigOp { GetOption = new ConfigRequest.Types.GetOption { Keys = { "spark.kg.none" } } });
        var all = await Config(c, new ConfigOp { GetAll = new ConfigRequest.Types.GetAll { Prefix = "spark.kg." } });
        await Config(c, new ConfigOp { Unset = new ConfigRequest.Types.Unset { Keys = { "spark.kg.custom" } } });
        var modifiable = await Config(c, new ConfigOp { IsModifiable = new ConfigRequest.Types.IsModifiable { Keys = { "spark.sql.ansi.enabled", "spark.sql.warehouse.dir" } } });
        var unknown = await Assert.ThrowsAsync<RpcException>(() => Config(c, new ConfigOp { Get = new ConfigRequest.Types.Get { Keys = { "spark.kg.custom" } } }));
        var refused = await Assert.ThrowsAsync<RpcException>(() => Config(c, new ConfigOp { Set = new ConfigRequest.Types.Set { Pairs = { Pair("spark.sql.warehouse.dir", "/x") } } }));

        Assert.Equal([("spark.sql.shuffle.partitions", "8"), ("spark.sql.ansi.enabled", "true")], get.Pairs.Select(p => (p.Key, p.Value)));
        Assert.Equal("200", otherGet.Pairs.Single().Value);
        Assert.Equal([("spark.kg.custom", "x"), ("spark.kg.none", "d")], withDefault.Pairs.Select(p => (p.Key, p.Value)));
        Assert.False(option.Pairs.Single().HasValue);
        Assert.Equal([("custom", "x")], all.Pairs.Select(p => (p.Key, p.Value)));
        Assert.Equal(["true", "false"], modifiable.Pairs.Select(p => p.Value));
        Assert.Equal(("SQL_CONF_NOT_FOUND", "42K0I", "{\"sqlConf\":\"\\\"spark.kg.custom\\\"\"}"),
            (Info(unknown).Metadata["errorClass"], Info(unknown).Metadata["sqlState"], Info(unknown).Metadata["messageParameters"]));
        Assert.Equal("CANNOT_MODIFY_CONFIG", Info(refused).Metadata["errorClass"]);
        Assert.Equal((c.SessionId, get.ServerSideSessionId), (get.SessionId, all.ServerSideSessionId));
    }

    [Fact]
    public async Task The_session_time_zone_and_batch_size_from_Config_shape_the_results()
    {
        await using var server = await SparkConnectServer.StartAsync();
        using var c = new SparkProtocolClient(server);
        await Config(c, new ConfigOp
        {
            Set = new ConfigRequest.Types.Set { Pairs = { Pair("spark.sql.session.timeZone", "Asia/Kolkata"), Pair("spark.sql.execution.arrow.maxRecordsPerBatch", "3") } },
        });

        var (responses, error) = await c.ExecuteAsync(c.Sql("SELECT TIMESTAMP '2024-01-02 05:30:00' AS t FROM range(7)"));
        var bad = await Assert.ThrowsAsync<RpcException>(() => Config(c, new ConfigOp { Set = new ConfigRequest.Types.Set { Pairs = { Pair("spark.sql.session.timeZone", "Mars/Base") } } }));

        Assert.Null(error);
        var batches = responses.Where(r => r.ArrowBatch is not null).Select(r => r.ArrowBatch).ToList();
        Assert.Equal([3L, 3, 1], batches.Select(b => b.RowCount));
        using var reader = new ArrowStreamReader(new MemoryStream(batches[0].Data.ToByteArray()));
        var batch = reader.ReadNextRecordBatch();
        Assert.Equal("Asia/Kolkata", ((TimestampType)batch.Schema.GetFieldByIndex(0).DataType).Timezone);
        var micros = ((Apache.Arrow.TimestampArray)batch.Column(0)).GetValue(0);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000, micros);
        Assert.Equal("INVALID_CONF_VALUE.TIME_ZONE", Info(bad).Metadata["errorClass"]);
    }

    private static async Task<AnalyzePlanResponse> Analyze(SparkProtocolClient c, AnalyzePlanRequest request)
    {
        request.SessionId = c.SessionId;
        request.UserContext = c.User;
        return await c.Client.AnalyzePlanAsync(request, cancellationToken: Soon);
    }

    private static async Task<ConfigResponse> Config(SparkProtocolClient c, ConfigOp op) =>
        await c.Client.ConfigAsync(new ConfigRequest { SessionId = c.SessionId, UserContext = c.User, Operation = op }, cancellationToken: Soon);

    private static KeyValue Pair(string key, string value) => new() { Key = key, Value = value };
}
