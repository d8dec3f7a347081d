using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Trino;

/// <summary>A query's statistics as the coordinator reports them with every response (<c>stats</c>); for display only.</summary>
public sealed record TrinoStats
{
    /// <summary>QUEUED, PLANNING, STARTING, RUNNING, FINISHING, FINISHED, FAILED, ... (never used to decide completion).</summary>
    [JsonPropertyName("state")] public string State { get; init; } = "";
    /// <summary>Whether the query is queued.</summary>
    [JsonPropertyName("queued")] public bool Queued { get; init; }
    /// <summary>Whether the query has been scheduled.</summary>
    [JsonPropertyName("scheduled")] public bool Scheduled { get; init; }
    /// <summary>Worker nodes taking part.</summary>
    [JsonPropertyName("nodes")] public int Nodes { get; init; }
    /// <summary>All splits of the query.</summary>
    [JsonPropertyName("totalSplits")] public int TotalSplits { get; init; }
    /// <summary>Splits waiting.</summary>
    [JsonPropertyName("queuedSplits")] public int QueuedSplits { get; init; }
    /// <summary>Splits running.</summary>
    [JsonPropertyName("runningSplits")] public int RunningSplits { get; init; }
    /// <summary>Splits done.</summary>
    [JsonPropertyName("completedSplits")] public int CompletedSplits { get; init; }
    /// <summary>CPU time.</summary>
    [JsonPropertyName("cpuTimeMillis")] public long CpuTimeMillis { get; init; }
    /// <summary>Wall time.</summary>
    [JsonPropertyName("wallTimeMillis")] public long WallTimeMillis { get; init; }
    /// <summary>Time spent queued.</summary>
    [JsonPropertyName("queuedTimeMillis")] public long QueuedTimeMillis { get; init; }
    /// <summary>Time since the query was created.</summary>
    [JsonPropertyName("elapsedTimeMillis")] public long ElapsedTimeMillis { get; init; }
    /// <summary>Input rows processed.</summary>
    [JsonPropertyName("processedRows")] public long ProcessedRows { get; init; }
    /// <summary>Input bytes processed.</summary>
    [JsonPropertyName("processedBytes")] public long ProcessedBytes { get; init; }
    /// <summary>Bytes read from storage.</summary>
    [JsonPropertyName("physicalInputBytes")] public long PhysicalInputBytes { get; init; }
    /// <summary>Peak memory.</summary>
    [JsonPropertyName("peakMemoryBytes")] public long PeakMemoryBytes { get; init; }
    /// <summary>Bytes spilled to disk.</summary>
    [JsonPropertyName("spilledBytes")] public long SpilledBytes { get; init; }
    /// <summary>Progress in percent, when the server can tell.</summary>
    [JsonPropertyName("progressPercentage")] public double? ProgressPercentage { get; init; }
}

/// <summary>The <c>error</c> of a failed query, as sent.</summary>
internal sealed record TrinoErrorDto
{
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("sqlState")] public string? SqlState { get; init; }
    [JsonPropertyName("errorCode")] public int? ErrorCode { get; init; }
    [JsonPropertyName("errorName")] public string? ErrorName { get; init; }
    [JsonPropertyName("errorType")] public string? ErrorType { get; init; }
    [JsonPropertyName("errorLocation")] public TrinoErrorLocationDto? ErrorLocation { get; init; }
    [JsonPropertyName("failureInfo")] public TrinoFailureInfoDto? FailureInfo { get; init; }
}

internal sealed record TrinoErrorLocationDto
{
    [JsonPropertyName("lineNumber")] public int LineNumber { get; init; }
    [JsonPropertyName("columnNumber")] public int ColumnNumber { get; init; }
}

internal sealed record TrinoFailureInfoDto
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("errorLocation")] public TrinoErrorLocationDto? ErrorLocation { get; init; }
}

internal sealed record TrinoWarningDto
{
    [JsonPropertyName("message")] public string? Message { get; init; }
}

/// <summary>Source-generated JSON metadata for the protocol's small objects (rows are read by hand).</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(TrinoStats))]
[JsonSerializable(typeof(TrinoErrorDto))]
[JsonSerializable(typeof(List<TrinoWarningDto>))]
internal sealed partial class TrinoJsonContext : JsonSerializerContext;
