using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>A batch as Livy describes it (<c>BatchSessionView</c>): id, name, state, the application and its last log lines.</summary>
public sealed record LivyBatch
{
    /// <summary>The batch id.</summary>
    [JsonPropertyName("id")] public int Id { get; init; }

    /// <summary>The batch's name, when it was given one.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>The user who submitted it.</summary>
    [JsonPropertyName("owner")] public string? Owner { get; init; }

    /// <summary>The user it runs as.</summary>
    [JsonPropertyName("proxyUser")] public string? ProxyUser { get; init; }

    /// <summary>The state: starting, running, then success, dead or killed (<see cref="LivySessionStates"/>).</summary>
    [JsonPropertyName("state")] public string State { get; init; } = "";

    /// <summary>The Spark application id, once known.</summary>
    [JsonPropertyName("appId")] public string? AppId { get; init; }

    /// <summary>Links to the application (<c>driverLogUrl</c>, <c>sparkUiUrl</c>).</summary>
    [JsonPropertyName("appInfo")] public IReadOnlyDictionary<string, string?>? AppInfo { get; init; }

    /// <summary>The last log lines (Livy sends the last 10).</summary>
    [JsonPropertyName("log")] public IReadOnlyList<string> Log { get; init; } = [];
}
