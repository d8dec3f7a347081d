using System.Text.Json;
using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// What a statement produced (Livy's <c>repl/Session.scala</c>): on success <c>{status: "ok", execution_count, data}</c>
/// with <c>data</c> a MIME bundle (<c>text/plain</c>, <c>application/json</c>, <c>image/png</c>,
/// <c>application/vnd.livy.table.v1+json</c>); on failure <c>{status: "error", execution_count, ename, evalue,
/// traceback}</c>. <see cref="LivyStatementResult.From"/> turns it into what a display needs.
/// </summary>
public sealed record LivyStatementOutput
{
    /// <summary><c>ok</c> or <c>error</c>.</summary>
    [JsonPropertyName("status")] public string Status { get; init; } = "";

    /// <summary>The execution count (Livy uses the statement id).</summary>
    [JsonPropertyName("execution_count")] public int ExecutionCount { get; init; }

    /// <summary>The MIME bundle of a successful statement, values as sent.</summary>
    [JsonPropertyName("data")] public IReadOnlyDictionary<string, JsonElement>? Data { get; init; }

    /// <summary>The exception's name of a failed statement.</summary>
    [JsonPropertyName("ename")] public string? EName { get; init; }

    /// <summary>The exception's value (message) of a failed statement.</summary>
    [JsonPropertyName("evalue")] public string? EValue { get; init; }

    /// <summary>The traceback of a failed statement.</summary>
    [JsonPropertyName("traceback")] public IReadOnlyList<string>? Traceback { get; init; }

    /// <summary>Whether the statement failed.</summary>
    [JsonIgnore] public bool IsError => Status == "error";
}
