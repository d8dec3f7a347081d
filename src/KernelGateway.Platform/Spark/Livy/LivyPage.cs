using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>A page of <c>GET /sessions</c> or <c>GET /batches</c>: <c>{from, total, sessions}</c>.</summary>
/// <typeparam name="T"><see cref="LivySession"/> or <see cref="LivyBatch"/>.</typeparam>
public sealed record LivyPage<T>
{
    /// <summary>The index of the first item.</summary>
    [JsonPropertyName("from")] public int From { get; init; }

    /// <summary>How many the server has in all.</summary>
    [JsonPropertyName("total")] public int Total { get; init; }

    /// <summary>The items (Livy calls them <c>sessions</c> for batches too).</summary>
    [JsonPropertyName("sessions")] public IReadOnlyList<T> Items { get; init; } = [];
}
