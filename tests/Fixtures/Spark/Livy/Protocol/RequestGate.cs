using System.Text;
using Microsoft.AspNetCore.Http;

namespace KernelGateway.Tests.Fixtures.Spark.Livy.Protocol;

/// <summary>
/// What every request passes before an endpoint: its body is kept for the record, an injected fault answers instead
/// of Livy, authentication (a gateway's Basic or Bearer: 401), and with CSRF protection Livy's <c>CsrfFilter</c>
/// (every method but GET, OPTIONS and HEAD needs <c>X-Requested-By</c>, else 400). Every request is recorded with
/// the status it got, whatever happened.
/// </summary>
internal sealed class RequestGate(LivyServerOptions options, LivyFaults faults, Action<HttpContext, string, DateTimeOffset> record)
{
    public async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        var arrived = DateTimeOffset.UtcNow;
        ctx.Request.EnableBuffering();
        var body = await new StreamReader(ctx.Request.Body, Encoding.UTF8, leaveOpen: true).ReadToEndAsync(ctx.RequestAborted);
        ctx.Request.Body.Position = 0;
        try
        {
            if (faults.Take(ctx.Request.Method) is { } status) await Answers.ErrorPage(ctx, status, status switch { 503 => "Service Unavailable", 504 => "Gateway Timeout", 502 => "Bad Gateway", _ => "Error" });
            else if (!Authorized(ctx)) await Unauthorized(ctx);
            else if (options.Csrf && ctx.Request.Method is not ("GET" or "OPTIONS" or "HEAD") && !ctx.Request.Headers.ContainsKey("X-Requested-By"))
                await Answers.ErrorPage(ctx, 400, "Missing Required Header for CSRF protection.");
            else await next(ctx);
        }
        catch (Exception) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // the client went away
        }
        finally
        {
            record(ctx, body, arrived);
        }
    }

    /// <summary>The authenticated user (the Basic user), or null without authentication.</summary>
    public string? User(HttpContext ctx) => options.RequiredBasic is { } basic && Authorized(ctx) ? basic.User : null;

    private bool Authorized(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (options.RequiredBearerToken is { } token && !Same(header, "Bearer " + token)) return false;
        if (options.RequiredBasic is { } b && !Same(header, "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{b.User}:{b.Password}")))) return false;
        return true;
    }

    private Task Unauthorized(HttpContext ctx)
    {
        ctx.Response.Headers.WWWAuthenticate = options.RequiredBearerToken is not null ? "Bearer" : "Basic realm=\"Livy\"";
        return Answers.ErrorPage(ctx, 401, "Unauthorized");
    }

    private static bool Same(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
