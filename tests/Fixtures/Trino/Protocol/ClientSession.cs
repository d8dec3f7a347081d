using Microsoft.AspNetCore.Http;

namespace KernelGateway.Tests.Fixtures.Trino.Protocol;

/// <summary>
/// The session a request carries in its <c>X-Trino-*</c> (or <c>X-Presto-*</c>) headers (ProtocolHeaders.java):
/// user, catalog, schema, time zone, session properties and prepared statements (each <c>name=urlencoded(value)</c>,
/// in repeated headers or comma-separated), transaction id and client capabilities.
/// </summary>
internal sealed class ClientSession
{
    public required string? User { get; init; }

    /// <summary>The same session for <paramref name="user"/> (the principal of an authenticated request without a user header).</summary>
    public ClientSession WithUser(string user) => new()
    {
        User = user, Catalog = Catalog, Schema = Schema, TimeZone = TimeZone, TransactionId = TransactionId,
        ParametricDatetime = ParametricDatetime, Properties = Properties, PreparedStatements = PreparedStatements,
    };
    public string? Catalog { get; init; }
    public string? Schema { get; init; }
    public string? TimeZone { get; init; }
    public string? TransactionId { get; init; }
    public bool ParametricDatetime { get; init; }
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> PreparedStatements { get; init; } = new Dictionary<string, string>();

    /// <summary>Reads the session, or says why the request is malformed (a 400 reason).</summary>
    public static ClientSession? Read(IHeaderDictionary headers, string prefix, string otherPrefix, out string? problem)
    {
        problem = null;
        var own = headers.Keys.Any(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
        var other = headers.Keys.Any(k => k.StartsWith(otherPrefix, StringComparison.OrdinalIgnoreCase));
        if (own && other)
        {
            problem = $"Request contains both {prefix}* and {otherPrefix}* headers";
            return null;
        }
        string? One(string name) => headers[prefix + name] is { Count: > 0 } v && !string.IsNullOrEmpty(v[0]) ? v[0] : null;
        try
        {
            var transaction = One("Transaction-Id");
            return new ClientSession
            {
                User = One("User"),
                Catalog = One("Catalog"),
                Schema = One("Schema"),
                TimeZone = One("Time-Zone"),
                TransactionId = transaction is null || transaction.Equals("NONE", StringComparison.OrdinalIgnoreCase) ? null : transaction,
                ParametricDatetime = List(headers[prefix + "Client-Capabilities"]).Any(c => c.Equals("PARAMETRIC_DATETIME", StringComparison.OrdinalIgnoreCase)),
                Properties = Pairs(headers[prefix + "Session"]),
                PreparedStatements = Pairs(headers[prefix + "Prepared-Statement"]),
            };
        }
        catch (FormatException e)
        {
            problem = e.Message;
            return null;
        }
    }

    private static IEnumerable<string> List(Microsoft.Extensions.Primitives.StringValues values) =>
        values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    private static Dictionary<string, string> Pairs(Microsoft.Extensions.Primitives.StringValues values)
    {
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in List(values))
        {
            var eq = item.IndexOf('=');
            if (eq <= 0) throw new FormatException($"Invalid header value: {item}");
            pairs[item[..eq].Trim()] = Uri.UnescapeDataString(item[(eq + 1)..].Trim().Replace('+', ' '));
        }
        return pairs;
    }
}
