using System.Text.Json.Nodes;

namespace KernelGateway.Tests.Fixtures.Spark.Livy.Engine;

/// <summary>A batch (Livy's <c>BatchSession</c>): starting, running, then success, dead or killed; mutated under the store's lock only.</summary>
internal sealed class FakeBatch(int id, JsonObject request, string? owner, int logCapacity)
{
    public int Id { get; } = id;

    public JsonObject Request { get; } = request;

    public string? Name { get; } = (string?)request["name"];

    public string? Owner { get; } = owner;

    public string State { get; set; } = "starting";

    public string? AppId { get; set; }

    public AppLog Log { get; } = new(logCapacity);

    public bool DeleteReceived { get; set; }

    /// <summary>As Livy writes a batch (<c>BatchSessionView</c>): id, name, owner, proxyUser, state, appId, appInfo, the last ten log lines.</summary>
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["name"] = Name,
        ["owner"] = Owner,
        ["proxyUser"] = Request["proxyUser"]?.DeepClone(),
        ["state"] = State,
        ["appId"] = AppId,
        ["appInfo"] = new JsonObject
        {
            ["driverLogUrl"] = null,
            ["sparkUiUrl"] = AppId is null ? null : $"http://resourcemanager.invalid:8088/proxy/{AppId}/",
            ["executorLogUrls"] = null,
        },
        ["log"] = new JsonArray([.. Log.Tail().Select(l => (JsonNode)l)]),
    };
}
