using System.Security.Cryptography;
using System.Text;
using KernelGateway.Gateway.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Gateway.Policy;

/// <summary>The policy Kernel Gateway adds on top of its handlers: JSON errors, CORS and the token.</summary>
public static class GatewayPolicy
{
    /// <summary>
    /// Turns every error into JSON <c>{reason, message}</c>: a <see cref="GatewayException"/> with its status, a bad
    /// request body as 400, anything else as 500, and an empty error response (unknown route, wrong method) with its status.
    /// </summary>
    public static IApplicationBuilder UseGatewayErrors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (GatewayException e) when (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, e.StatusCode, e.Message);
            return;
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, e.StatusCode, e.Message);
            return;
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("KernelGateway.Gateway")
                .LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            await WriteErrorAsync(context, 500, "Internal server error");
            return;
        }
        if (context.Response.StatusCode >= 400 && !context.Response.HasStarted && context.Response.ContentType is null
            && context.Response.ContentLength is null or 0)
        {
            var status = context.Response.StatusCode;
            await WriteErrorAsync(context, status, status == 404 ? $"{context.Request.Path} not found" : ReasonPhrases.GetReasonPhrase(status));
        }
    });

    /// <summary>
    /// Adds the CORS headers configured by <c>KG_ALLOW_ORIGIN</c>, <c>KG_ALLOW_HEADERS</c>, <c>KG_ALLOW_METHODS</c>
    /// and <c>KG_ALLOW_CREDENTIALS</c> to every response, and answers OPTIONS (preflight) itself, without a token.
    /// </summary>
    public static IApplicationBuilder UseGatewayCors(this IApplicationBuilder app, GatewayOptions options) => app.Use(async (context, next) =>
    {
        var h = context.Response.Headers;
        if (options.AllowOrigin is { } origin) h.AccessControlAllowOrigin = origin;
        if (options.AllowHeaders is { } headers) h.AccessControlAllowHeaders = headers;
        if (options.AllowMethods is { } methods) h.AccessControlAllowMethods = methods;
        if (options.AllowCredentials is { } credentials) h.AccessControlAllowCredentials = credentials;
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            context.Response.StatusCode = 200;
            return;
        }
        await next(context);
    });

    /// <summary>
    /// With <c>KG_AUTH_TOKEN</c> set, requires <c>Authorization: token X</c> or <c>?token=X</c> on every request
    /// (WebSocket upgrades included), compared in constant time; 401 otherwise. <c>GET /metrics</c> is open with
    /// <see cref="GatewayOptions.MetricsPublic"/>.
    /// </summary>
    public static IApplicationBuilder UseGatewayAuth(this IApplicationBuilder app, GatewayOptions options)
    {
        if (string.IsNullOrEmpty(options.AuthToken)) return app;
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.AuthToken));
        var publicMetrics = options.MetricsPublic ? options.BasePath.TrimEnd('/') + "/metrics" : null;
        return app.Use(async (context, next) =>
        {
            var open = publicMetrics is not null && HttpMethods.IsGet(context.Request.Method) && context.Request.Path.Value == publicMetrics;
            if (!open && !IsAuthorized(context.Request, expected))
            {
                await WriteErrorAsync(context, 401, "Unauthorized");
                return;
            }
            await next(context);
        });
    }

    /// <summary>Writes <c>{reason, message}</c> with a status code.</summary>
    public static Task WriteErrorAsync(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        var body = new ErrorBody(ReasonPhrases.GetReasonPhrase(statusCode), message);
        return context.Response.WriteAsJsonAsync(body, GatewayJsonContext.Default.ErrorBody);
    }

    private static bool IsAuthorized(HttpRequest request, byte[] expected)
    {
        string? presented = null;
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("token ", StringComparison.OrdinalIgnoreCase)) presented = header["token ".Length..].Trim();
        else if (request.Query.TryGetValue("token", out var q)) presented = q.ToString();
        if (presented is null) return false;
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expected);
    }
}
