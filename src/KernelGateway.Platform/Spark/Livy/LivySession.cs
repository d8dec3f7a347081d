using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>An interactive session as Livy describes it (<c>SessionInfo</c>): id, name, state, kind, the application and its last log lines, and the configuration it was created with.</summary>
public sealed record LivySession
{
    /// <summary>The session id.</summary>
    [JsonPropertyName("id")] public int Id { get; init; }

    /// <summary>The session's name, when it was given one.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>The Spark application id (e.g. YARN's), once known.</summary>
    [JsonPropertyName("appId")] public string? AppId { get; init; }

    /// <summary>The user who created it.</summary>
    [JsonPropertyName("owner")] public string? Owner { get; init; }

    /// <summary>The user it runs as.</summary>
    [JsonPropertyName("proxyUser")] public string? ProxyUser { get; init; }

    /// <summary>The state (<see cref="LivySessionStates"/>).</summary>
    [JsonPropertyName("state")] public string State { get; init; } = "";

    /// <summary>The session kind (<see cref="LivyKinds"/>).</summary>
    [JsonPropertyName("kind")] public string? Kind { get; init; }

    /// <summary>Links to the application: <c>driverLogUrl</c>, <c>sparkUiUrl</c>, <c>executorLogUrls</c> (values may be null).</summary>
    [JsonPropertyName("appInfo")] public IReadOnlyDictionary<string, string?>? AppInfo { get; init; }

    /// <summary>The last log lines (Livy sends the last 10).</summary>
    [JsonPropertyName("log")] public IReadOnlyList<string> Log { get; init; } = [];

    /// <summary>Time to live, as given.</summary>
    [JsonPropertyName("ttl")] public string? Ttl { get; init; }

    /// <summary>Idle timeout, as given.</summary>
    [JsonPropertyName("idleTimeout")] public string? IdleTimeout { get; init; }

    /// <summary>Driver memory.</summary>
    [JsonPropertyName("driverMemory")] public string? DriverMemory { get; init; }

    /// <summary>Driver cores (0: Livy's default).</summary>
    [JsonPropertyName("driverCores")] public int DriverCores { get; init; }

    /// <summary>Executor memory.</summary>
    [JsonPropertyName("executorMemory")] public string? ExecutorMemory { get; init; }

    /// <summary>Executor cores (0: Livy's default).</summary>
    [JsonPropertyName("executorCores")] public int ExecutorCores { get; init; }

    /// <summary>Number of executors (0: Livy's default).</summary>
    [JsonPropertyName("numExecutors")] public int NumExecutors { get; init; }

    /// <summary>Spark configuration.</summary>
    [JsonPropertyName("conf")] public IReadOnlyDictionary<string, string>? Conf { get; init; }

    /// <summary>The heartbeat timeout in seconds (0: none).</summary>
    [JsonPropertyName("heartbeatTimeoutInSecond")] public int HeartbeatTimeoutInSecond { get; init; }

    /// <summary>The YARN queue.</summary>
    [JsonPropertyName("queue")] public string? Queue { get; init; }

    /// <summary>The Spark UI, when Livy knows it.</summary>
    [JsonIgnore] public string? SparkUiUrl => AppInfo?.GetValueOrDefault("sparkUiUrl");
}
