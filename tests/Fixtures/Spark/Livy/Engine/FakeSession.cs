using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace KernelGateway.Tests.Fixtures.Spark.Livy.Engine;

/// <summary>An interactive session (Livy's <c>InteractiveSession</c> and the driver's REPL); mutated under the store's lock only.</summary>
internal sealed class FakeSession(int id, JsonObject request, string kind, string? owner, int logCapacity)
{
    public int Id { get; } = id;

    public string? Name { get; } = (string?)request["name"];

    /// <summary><c>spark</c>, <c>pyspark</c>, <c>sparkr</c>, <c>sql</c>, or <c>shared</c> when created without a kind.</summary>
    public string Kind { get; } = kind;

    public string? Owner { get; } = owner;

    public string State { get; set; } = "starting";

    public string AppId { get; } = $"application_1700000000000_{id + 1:0000}";

    public AppLog Log { get; } = new(logCapacity);

    public List<FakeStatement> Statements { get; } = [];

    /// <summary>Statements wait here for the session's one interpreter thread, as in Livy's REPL.</summary>
    public Channel<FakeStatement> Queue { get; } = Channel.CreateUnbounded<FakeStatement>();

    public int HeartbeatTimeoutSeconds { get; } = (int?)request["heartbeatTimeoutInSecond"] ?? 0;

    public DateTimeOffset LastHeartbeat { get; set; }

    public int Heartbeats { get; set; }

    /// <summary>Completed by the test to end the <c>starting</c> state (with <see cref="LivyServerOptions.HoldSessionStart"/>).</summary>
    public TaskCompletionSource StartGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Fires when the session stops (deleted, expired, ended): its statements are interrupted and its REPL stops.</summary>
    public CancellationTokenSource Stopped { get; } = new();

    /// <summary>As Livy writes a session (<c>SessionInfo</c>): the create request echoed, the last ten log lines.</summary>
    public JsonObject ToJson()
    {
        var started = State is not ("not_started" or "starting");
        return new JsonObject
        {
            ["id"] = Id,
            ["name"] = Name,
            ["appId"] = started ? AppId : null,
            ["owner"] = Owner,
            ["proxyUser"] = request["proxyUser"]?.DeepClone(),
            ["state"] = State,
            ["kind"] = Kind,
            ["appInfo"] = new JsonObject
            {
                ["driverLogUrl"] = started ? $"http://nodemanager.invalid:8042/node/containerlogs/{AppId}/driver" : null,
                ["sparkUiUrl"] = started ? $"http://resourcemanager.invalid:8088/proxy/{AppId}/" : null,
                ["executorLogUrls"] = null,
            },
            ["log"] = new JsonArray([.. Log.Tail().Select(l => (JsonNode)l)]),
            ["ttl"] = request["ttl"]?.DeepClone(),
            ["idleTimeout"] = request["idleTimeout"]?.DeepClone(),
            ["driverMemory"] = request["driverMemory"]?.DeepClone(),
            ["driverCores"] = request["driverCores"]?.DeepClone() ?? 0,
            ["executorMemory"] = request["executorMemory"]?.DeepClone(),
            ["executorCores"] = request["executorCores"]?.DeepClone() ?? 0,
            ["conf"] = request["conf"]?.DeepClone() ?? new JsonObject(),
            ["archives"] = request["archives"]?.DeepClone() ?? new JsonArray(),
            ["files"] = request["files"]?.DeepClone() ?? new JsonArray(),
            ["heartbeatTimeoutInSecond"] = HeartbeatTimeoutSeconds,
            ["jars"] = request["jars"]?.DeepClone() ?? new JsonArray(),
            ["numExecutors"] = request["numExecutors"]?.DeepClone() ?? 0,
            ["pyFiles"] = request["pyFiles"]?.DeepClone() ?? new JsonArray(),
            ["queue"] = request["queue"]?.DeepClone(),
        };
    }
}
