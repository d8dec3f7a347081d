namespace KernelGateway.Tests.Fixtures.Trino;

/// <summary>A request the server received: method, path with query string, every header (Authorization included),
/// the status it was answered with (0 when the connection was dropped before a status was sent) and when it arrived.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string[]> Headers, int Status, DateTimeOffset Time)
{
    /// <summary>The values of a header (case-insensitive name), empty when absent.</summary>
    public IReadOnlyList<string> Header(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value ?? [];
}
