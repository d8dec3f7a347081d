using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// The body of <c>POST /sessions</c> (Livy's <c>CreateInteractiveRequest</c>). Every member is optional; unset ones
/// are left out of the request and Livy uses its defaults. Livy refuses a field it does not know, so only these are sent.
/// </summary>
public sealed record LivySessionRequest
{
    /// <summary>The session kind (<see cref="LivyKinds"/>): the default kind of its statements. Without it the session is <c>shared</c> and every statement names its kind.</summary>
    [JsonPropertyName("kind")] public string? Kind { get; init; }

    /// <summary>The session's name; unique on the server (Livy refuses a second session of the same name) and usable in place of the id.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>The user to impersonate.</summary>
    [JsonPropertyName("proxyUser")] public string? ProxyUser { get; init; }

    /// <summary>Spark configuration properties.</summary>
    [JsonPropertyName("conf")] public IReadOnlyDictionary<string, string>? Conf { get; init; }

    /// <summary>Driver memory, e.g. <c>2g</c>.</summary>
    [JsonPropertyName("driverMemory")] public string? DriverMemory { get; init; }

    /// <summary>Driver cores.</summary>
    [JsonPropertyName("driverCores")] public int? DriverCores { get; init; }

    /// <summary>Memory per executor, e.g. <c>4g</c>.</summary>
    [JsonPropertyName("executorMemory")] public string? ExecutorMemory { get; init; }

    /// <summary>Cores per executor.</summary>
    [JsonPropertyName("executorCores")] public int? ExecutorCores { get; init; }

    /// <summary>Number of executors.</summary>
    [JsonPropertyName("numExecutors")] public int? NumExecutors { get; init; }

    /// <summary>Jars for the session.</summary>
    [JsonPropertyName("jars")] public IReadOnlyList<string>? Jars { get; init; }

    /// <summary>Python files for the session.</summary>
    [JsonPropertyName("pyFiles")] public IReadOnlyList<string>? PyFiles { get; init; }

    /// <summary>Files for the session.</summary>
    [JsonPropertyName("files")] public IReadOnlyList<string>? Files { get; init; }

    /// <summary>Archives for the session.</summary>
    [JsonPropertyName("archives")] public IReadOnlyList<string>? Archives { get; init; }

    /// <summary>The YARN queue.</summary>
    [JsonPropertyName("queue")] public string? Queue { get; init; }

    /// <summary>Seconds without a request about the session (<c>/sessions/{id}/...</c>) after which Livy deletes it; 0 or unset: never.</summary>
    [JsonPropertyName("heartbeatTimeoutInSecond")] public int? HeartbeatTimeoutInSecond { get; init; }

    /// <summary>How long the session may live, e.g. <c>10h</c> (Livy 0.8+).</summary>
    [JsonPropertyName("ttl")] public string? Ttl { get; init; }

    /// <summary>How long the session may stay idle, e.g. <c>30m</c> (Livy 0.8+).</summary>
    [JsonPropertyName("idleTimeout")] public string? IdleTimeout { get; init; }
}
