using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// A page of a session's or batch's log (<c>GET .../log?from&amp;size</c>): <c>{id, from, total, log}</c>. Livy's log
/// is the application's recent output, sections headed by the lines <c>stdout: </c>, <c>\nstderr: </c> and
/// <c>\nYARN Diagnostics: </c>; each section keeps its last <c>livy.cache-log.size</c> lines (200).
/// </summary>
public sealed record LivyLog
{
    /// <summary>The session or batch.</summary>
    [JsonPropertyName("id")] public int Id { get; init; }

    /// <summary>The index of the first line returned.</summary>
    [JsonPropertyName("from")] public int From { get; init; }

    /// <summary>How many lines the log has in all (Livy's code sends <c>total</c>; its REST document says <c>size</c>).</summary>
    [JsonPropertyName("total")] public int Total { get; init; }

    /// <summary>The lines.</summary>
    [JsonPropertyName("log")] public IReadOnlyList<string> Lines { get; init; } = [];
}
