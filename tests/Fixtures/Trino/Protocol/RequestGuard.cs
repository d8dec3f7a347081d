using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace KernelGateway.Tests.Fixtures.Trino.Protocol;

/// <summary>The checks every request passes before it is served: credentials (when required) and the header family.</summary>
internal sealed class RequestGuard(TrinoServerOptions options)
{
    public string Prefix { get; } = options.Presto ? "X-Presto-" : "X-Trino-";
    public string OtherPrefix { get; } = options.Presto ? "X-Trino-" : "X-Presto-";

    /// <summary>Null when the request may go on; else the status, reason and challenge to answer with.</summary>
    public (int Status, string Reason, string? Challenge)? Check(HttpRequest request)
    {
        if (!Authorized(request.Headers.Authorization.ToString(), out var challenge)) return (401, "Unauthorized", challenge);
        var headers = request.Headers.Keys;
        if (headers.Any(k => k.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) && headers.Any(k => k.StartsWith(OtherPrefix, StringComparison.OrdinalIgnoreCase)))
        {
            return (400, $"Request contains both {Prefix}* and {OtherPrefix}* headers", null);
        }
        // an authenticated request names its user by its credentials, as Trino takes the principal when the header is absent
        var authenticated = options.RequiredBearerToken is not null || options.RequiredBasic is not null;
        var userRequired = !authenticated && (options.UserOnEveryRequest || request.Method == HttpMethods.Post);
        if (userRequired && string.IsNullOrEmpty(request.Headers[Prefix + "User"].ToString()))
        {
            return (400, $"Error 400 Bad Request: {Prefix}User must be set", null);
        }
        return null;
    }

    private bool Authorized(string authorization, out string? challenge)
    {
        challenge = null;
        if (options.RequiredBearerToken is { } token)
        {
            challenge = "Bearer";
            return SameText(authorization, "Bearer " + token);
        }
        if (options.RequiredBasic is { } basic)
        {
            challenge = "Basic realm=\"Trino\"";
            return SameText(authorization, "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{basic.User}:{basic.Password}")));
        }
        return true;
    }

    private static bool SameText(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
