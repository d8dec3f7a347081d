using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>A statement as Livy describes it (<c>Statement.java</c>): id, code, state, output once it has one, progress.</summary>
public sealed record LivyStatement
{
    /// <summary>The statement id within its session (also its <c>execution_count</c>).</summary>
    [JsonPropertyName("id")] public int Id { get; init; }

    /// <summary>The code, as submitted.</summary>
    [JsonPropertyName("code")] public string? Code { get; init; }

    /// <summary>The state (<see cref="LivyStatementStates"/>).</summary>
    [JsonPropertyName("state")] public string State { get; init; } = "";

    /// <summary>The output, once the statement has run (null while waiting or running).</summary>
    [JsonPropertyName("output")] public LivyStatementOutput? Output { get; init; }

    /// <summary>How far it is, 0.0 to 1.0: the share of its Spark tasks completed (1.0 once available or cancelled).</summary>
    [JsonPropertyName("progress")] public double Progress { get; init; }

    /// <summary>When it started running, in milliseconds since the Unix epoch (0: not yet).</summary>
    [JsonPropertyName("started")] public long Started { get; init; }

    /// <summary>When it ended, in milliseconds since the Unix epoch (0: not yet).</summary>
    [JsonPropertyName("completed")] public long Completed { get; init; }
}
