using Apache.Arrow;
using Apache.Arrow.Ipc;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using KernelGateway.Tests.Fixtures.Spark.Connect;
using KernelGateway.Tests.Fixtures.Spark.Connect.Proto;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>
/// A bare gRPC client of the fixture, on the stubs generated from the fixture's own .proto: for tests of the fixture's
/// protocol behaviour (not of the product's Spark Connect client). One session per instance unless told otherwise.
/// </summary>
internal sealed class SparkProtocolClient : IDisposable
{
    private readonly GrpcChannel _channel;

    public SparkProtocolClient(SparkConnectServer server, string? sessionId = null)
    {
        _channel = GrpcChannel.ForAddress(server.Uri);
        Client = new SparkConnectService.SparkConnectServiceClient(_channel);
        SessionId = sessionId ?? Guid.NewGuid().ToString();
    }

    public SparkConnectService.SparkConnectServiceClient Client { get; }

    public string SessionId { get; }

    public UserContext User { get; } = new() { UserId = "tester" };

    public static CancellationToken Soon => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    public ExecutePlanRequest Sql(string query, string? operationId = null, bool reattachable = false, params string[] tags) =>
        Request(new Plan { Root = new Relation { Sql = new SQL { Query = query } } }, operationId, reattachable, tags);

    public ExecutePlanRequest Request(Plan plan, string? operationId = null, bool reattachable = false, params string[] tags)
    {
        var request = new ExecutePlanRequest { SessionId = SessionId, UserContext = User, Plan = plan, Tags = { tags } };
        if (operationId is not null) request.OperationId = operationId;
        if (reattachable) request.RequestOptions.Add(new ExecutePlanRequest.Types.RequestOption { ReattachOptions = new ReattachOptions { Reattachable = true } });
        return request;
    }

    /// <summary>All responses of a call, and the error it ended with (null when it ended OK).</summary>
    public async Task<(List<ExecutePlanResponse> Responses, RpcException? Error)> ReadAllAsync(AsyncServerStreamingCall<ExecutePlanResponse> call)
    {
        var responses = new List<ExecutePlanResponse>();
        try
        {
            await foreach (var r in call.ResponseStream.ReadAllAsync(Soon)) responses.Add(r);
            return (responses, null);
        }
        catch (RpcException e)
        {
            return (responses, e);
        }
        finally
        {
            call.Dispose();
        }
    }

    public Task<(List<ExecutePlanResponse> Responses, RpcException? Error)> ExecuteAsync(ExecutePlanRequest request) =>
        ReadAllAsync(Client.ExecutePlan(request, cancellationToken: Soon));

    /// <summary>The ErrorInfo of a Spark error status.</summary>
    public static ErrorInfo Info(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<ErrorInfo>() ?? throw new Xunit.Sdk.XunitException($"no ErrorInfo in {e.Status}");

    /// <summary>The rows of an ArrowBatch, decoded with Apache.Arrow, each a list of the column values.</summary>
    public static List<object?[]> Rows(ExecutePlanResponse.Types.ArrowBatch batch)
    {
        using var reader = new ArrowStreamReader(new MemoryStream(batch.Data.ToByteArray()));
        var rows = new List<object?[]>();
        while (reader.ReadNextRecordBatch() is { } rb)
        {
            using (rb)
            {
                for (var i = 0; i < rb.Length; i++) rows.Add(rb.Arrays.Select(a => Value(a, i)).ToArray());
            }
        }
        return rows;
    }

    private static object? Value(IArrowArray a, int i) => a.IsNull(i) ? null : a switch
    {
        Int64Array x => x.GetValue(i),
        Int32Array x => x.GetValue(i),
        DoubleArray x => x.GetValue(i),
        StringArray x => x.GetString(i),
        BooleanArray x => x.GetValue(i),
        Decimal128Array x => x.GetValue(i),
        _ => throw new NotSupportedException(a.GetType().Name),
    };

    public void Dispose() => _channel.Dispose();
}
