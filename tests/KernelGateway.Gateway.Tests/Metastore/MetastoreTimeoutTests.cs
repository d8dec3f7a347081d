using System.Net;
using System.Net.Sockets;
using KernelGateway.Platform.Metastore;
using KernelGateway.Platform.Warehouse;
using KernelGateway.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KernelGateway.Gateway.Tests.Metastore;

public sealed class MetastoreTimeoutTests
{
    [Fact]
    public async Task An_engine_that_never_answers_is_a_504_on_its_endpoint_and_a_timed_out_entry_in_the_overview()
    {
        var data = TestEnvironment.TempDirectory("metastore-silent");
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<TcpClient>();
        try
        {
            var port = ((IPEndPoint)silent.LocalEndpoint).Port;
            await File.WriteAllTextAsync(Path.Combine(data, "connections.json"),
                $$"""[{"name": "silent", "kind": "postgres", "connection_string": "Host=127.0.0.1;Port={{port}};Username=kg;Password=silent-secret-77;Database=x;Pooling=false;Timeout=0"}]""");
            var clock = new FakeTimeProvider();
            // The gateway's own registration, with the metastore's clock under the test's control.
            await using var server = await GatewayServer.StartAsync(o => o.DataDirectory = data, services: s => s.AddSingleton(_ =>
                new MetastoreClient(new WarehouseClient(ConnectionRegistry.Load(data), new EmbeddedWarehouse(data, 1000)), new MetastoreOptions { TimeProvider = clock })));

            async Task<HttpResponseMessage> TimedOutAsync(string path)
            {
                var pending = server.SendAsync(HttpMethod.Get, path);
                accepted.Add(await silent.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromMinutes(2)));
                Assert.False(pending.IsCompleted);
                clock.Advance(TimeSpan.FromSeconds(10));
                return await pending.WaitAsync(TimeSpan.FromMinutes(2)); // a guard against a hang, not a timing check
            }

            using var own = await TimedOutAsync("/api/metastore/silent/catalogs");
            var message = await ErrorAssert.IsJsonErrorAsync(own, HttpStatusCode.GatewayTimeout);
            Assert.DoesNotContain("silent-secret-77", message);

            using var overview = await TimedOutAsync("/api/metastore");
            var json = await GatewayServer.JsonAsync(overview);
            Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
            var error = json.GetProperty("errors").EnumerateArray().Single(e => e.GetProperty("connection").GetString() == "silent");
            Assert.Equal("timed_out", error.GetProperty("kind").GetString());
            Assert.Contains("warehouse", json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        }
        finally
        {
            foreach (var c in accepted) c.Dispose();
            silent.Stop();
        }
    }
}
