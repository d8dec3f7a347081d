namespace KernelGateway.Tests.Fixtures.Spark.Livy;

/// <summary>A request the server received: its place in arrival order (from 1), method, path with query string (the
/// <see cref="LivyServerOptions.PathBase"/> included), every header (Authorization included), the body as text, the
/// status it was answered with and when it arrived.</summary>
public sealed record LivyRecordedRequest(int Sequence, string Method, string Path, IReadOnlyDictionary<string, string[]> Headers, string Body, int Status, DateTimeOffset Time)
{
    /// <summary>The values of a header (case-insensitive name), empty when absent.</summary>
    public IReadOnlyList<string> Header(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value ?? [];
}
