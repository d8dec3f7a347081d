using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>The body of <c>POST /batches</c> (Livy's <c>CreateBatchRequest</c>): the application file is required, everything else optional (unset members are left out).</summary>
public sealed record LivyBatchRequest
{
    /// <summary>The application: a jar or a Python file, as a path the cluster can read (HDFS, S3, local to the server).</summary>
    [JsonPropertyName("file")] public required string File { get; init; }

    /// <summary>The main class of a jar.</summary>
    [JsonPropertyName("className")] public string? ClassName { get; init; }

    /// <summary>Command-line arguments.</summary>
    [JsonPropertyName("args")] public IReadOnlyList<string>? Args { get; init; }

    /// <summary>The batch's name (the application's name).</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>The user to impersonate.</summary>
    [JsonPropertyName("proxyUser")] public string? ProxyUser { get; init; }

    /// <summary>Spark configuration properties.</summary>
    [JsonPropertyName("conf")] public IReadOnlyDictionary<string, string>? Conf { get; init; }

    /// <summary>Jars.</summary>
    [JsonPropertyName("jars")] public IReadOnlyList<string>? Jars { get; init; }

    /// <summary>Python files.</summary>
    [JsonPropertyName("pyFiles")] public IReadOnlyList<string>? PyFiles { get; init; }

    /// <summary>Files.</summary>
    [JsonPropertyName("files")] public IReadOnlyList<string>? Files { get; init; }

    /// <summary>Archives.</summary>
    [JsonPropertyName("archives")] public IReadOnlyList<string>? Archives { get; init; }

    /// <summary>Driver memory, e.g. <c>2g</c>.</summary>
    [JsonPropertyName("driverMemory")] public string? DriverMemory { get; init; }

    /// <summary>Driver cores.</summary>
    [JsonPropertyName("driverCores")] public int? DriverCores { get; init; }

    /// <summary>Memory per executor.</summary>
    [JsonPropertyName("executorMemory")] public string? ExecutorMemory { get; init; }

    /// <summary>Cores per executor.</summary>
    [JsonPropertyName("executorCores")] public int? ExecutorCores { get; init; }

    /// <summary>Number of executors.</summary>
    [JsonPropertyName("numExecutors")] public int? NumExecutors { get; init; }

    /// <summary>The YARN queue.</summary>
    [JsonPropertyName("queue")] public string? Queue { get; init; }
}
