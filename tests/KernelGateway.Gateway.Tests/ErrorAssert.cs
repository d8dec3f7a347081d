using System.Net;
using System.Text.Json;

namespace KernelGateway.Gateway.Tests;

/// <summary>Checks Kernel Gateway's error shape.</summary>
public static class ErrorAssert
{
    /// <summary>Asserts the status and a JSON body with string <c>reason</c> and <c>message</c>; returns the message.</summary>
    public static async Task<string> IsJsonErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var json = await GatewayServer.JsonAsync(response);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {json}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonValueKind.String, json.GetProperty("reason").ValueKind);
        Assert.False(string.IsNullOrEmpty(json.GetProperty("reason").GetString()));
        return json.GetProperty("message").GetString()!;
    }
}
