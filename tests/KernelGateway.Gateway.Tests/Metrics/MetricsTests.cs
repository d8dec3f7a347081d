using System.Globalization;
using System.Net;
using System.Text.Json;
using KernelGateway.Gateway.Tests.Channels;
using KernelGateway.Tests;
using Microsoft.Extensions.Time.Testing;

namespace KernelGateway.Gateway.Tests.Metrics;

/// <summary>
/// <c>GET /metrics</c>, read by an independent parser (Debian's prometheus_client, <c>text_string_to_metric_families</c>):
/// the counters move when kernels start, messages pass and kernels are culled; behind the token unless public.
/// </summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_follow_a_kernel_its_client_and_an_execute_and_parse_as_the_Prometheus_text_format()
    {
        await using var server = await GatewayServer.StartAsync();
        var before = await ScrapeAsync(server);
        Assert.Equal(0, Value(before, "kernelgateway_kernel_starts_total", ("kernelspec", GatewayServer.PythonKernel)) ?? 0);

        var id = (await server.StartKernelAsync(GatewayServer.PythonKernel)).GetProperty("id").GetString()!;
        await using var client = await ChannelsClient.ConnectAsync(server, id);
        await server.WaitForConnectionsAsync(id, 1);
        var msgId = await client.ExecuteAsync("print('counted')");
        var outcome = await client.ReceiveOutcomeAsync(msgId);
        Assert.Equal("counted\n", ChannelsClient.Stdout(outcome));
        await server.WaitForStateAsync(id, "idle");

        var after = await ScrapeAsync(server);
        Assert.Equal(1, Value(after, "kernelgateway_kernel_starts_total", ("kernelspec", GatewayServer.PythonKernel)));
        Assert.Equal(1, Value(after, "kernelgateway_kernels", ("kernelspec", GatewayServer.PythonKernel), ("state", "idle")));
        Assert.Equal(1, Value(after, "kernelgateway_websocket_connections"));
        Assert.Equal(1, Value(after, "kernelgateway_execute_duration_seconds_count"));
        Assert.True(Value(after, "kernelgateway_execute_duration_seconds_sum") > 0);
        Assert.True(Value(after, "kernelgateway_messages_total", ("direction", "to_kernel"), ("channel", "shell")) >= 1);
        Assert.True(Value(after, "kernelgateway_messages_total", ("direction", "from_kernel"), ("channel", "iopub")) >= 3); // busy, stream, idle at least

        using (var deleted = await server.SendAsync(HttpMethod.Delete, $"/api/kernels/{id}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var gone = await ScrapeAsync(server);
        Assert.Equal(0, Value(gone, "kernelgateway_kernels", ("kernelspec", GatewayServer.PythonKernel), ("state", "idle")));
        Assert.Equal(0, Value(gone, "kernelgateway_websocket_connections"));
    }

    [Fact]
    public async Task A_culled_kernel_is_counted()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await GatewayServer.StartAsync(o => { o.CullIdleTimeout = TimeSpan.FromMinutes(5); o.CullInterval = TimeSpan.FromDays(1); }, clock);
        var id = (await server.StartKernelAsync(GatewayServer.PythonKernel)).GetProperty("id").GetString()!;
        await server.WaitForStateAsync(id, "idle");
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal([id], await server.Kernels.CullIdleKernelsAsync());
        Assert.Equal(1, Value(await ScrapeAsync(server), "kernelgateway_kernels_culled_total"));
    }

    [Fact]
    public async Task Metrics_need_the_token_unless_made_public_and_public_metrics_open_nothing_else()
    {
        await using (var closed = await GatewayServer.StartAsync(o => o.AuthToken = Token))
        using (var refused = await new HttpClient().GetAsync(new Uri(closed.BaseUri, "metrics")))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        await using var open = await GatewayServer.StartAsync(o => { o.AuthToken = Token; o.MetricsPublic = true; });
        using (var tokened = await open.SendAsync(HttpMethod.Get, "/metrics", token: Token))
            Assert.Equal(HttpStatusCode.OK, tokened.StatusCode);
        using var anonymous = new HttpClient();
        using (var metrics = await anonymous.GetAsync(new Uri(open.BaseUri, "metrics")))
        {
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        }
        using (var kernels = await anonymous.GetAsync(new Uri(open.BaseUri, "api/kernels")))
            Assert.Equal(HttpStatusCode.Unauthorized, kernels.StatusCode);
        using (var post = await anonymous.PostAsync(new Uri(open.BaseUri, "metrics"), new StringContent("")))
            Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    private const string Token = "metrics-test-token";

    /// <summary>Scrapes <c>/metrics</c> and parses it with prometheus_client: every sample as name, labels and value.</summary>
    private static async Task<List<(string Name, Dictionary<string, string> Labels, double Value)>> ScrapeAsync(GatewayServer server)
    {
        using var response = await server.SendAsync(HttpMethod.Get, "/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var text = await response.Content.ReadAsStringAsync();
        var (exit, stdout, stderr) = await TestEnvironment.RunAsync(TestEnvironment.Python, ["-c", """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = []
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    out.append({"name": s.name, "labels": s.labels, "value": s.value})
            print(json.dumps(out))
            """], stdin: text);
        Assert.True(exit == 0, $"prometheus_client could not parse /metrics: {stderr}\n{text}");
        return JsonDocument.Parse(stdout).RootElement.EnumerateArray()
            .Select(s => (s.GetProperty("name").GetString()!,
                s.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
                s.GetProperty("value").GetDouble()))
            .ToList();
    }

    private static double? Value(List<(string Name, Dictionary<string, string> Labels, double Value)> samples, string name, params (string Key, string Value)[] labels)
    {
        var match = samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value)).ToList();
        return match.Count switch
        {
            0 => null,
            1 => match[0].Value,
            _ => throw new Xunit.Sdk.XunitException($"{match.Count} samples of {name} match {string.Join(",", labels.Select(l => l.Key + "=" + l.Value))}"),
        };
    }
}
