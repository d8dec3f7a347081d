using System.Net;
using KernelGateway.Tests;

namespace KernelGateway.Gateway.Tests.Metastore;

public sealed class MetastoreLazinessTests
{
    [Fact]
    public async Task Serving_seeds_no_warehouse_until_the_metastore_is_asked_about_it()
    {
        var data = TestEnvironment.TempDirectory("metastore-lazy");
        var warehouse = Path.Combine(data, "warehouse");
        await using var server = await GatewayServer.StartAsync(o => { o.DataDirectory = data; o.WarehouseRows = 1000; });
        using (var info = await server.SendAsync(HttpMethod.Get, "/api"))
            Assert.Equal(HttpStatusCode.OK, info.StatusCode);
        using (var connections = await server.SendAsync(HttpMethod.Get, "/api/metastore/search?q=x&limit=0"))
            Assert.Equal(HttpStatusCode.BadRequest, connections.StatusCode);
        Assert.False(Directory.Exists(warehouse), "the warehouse was touched before any lookup needed it");

        using var catalogs = await server.SendAsync(HttpMethod.Get, "/api/metastore/warehouse/catalogs");
        Assert.Equal(HttpStatusCode.OK, catalogs.StatusCode);
        Assert.True(File.Exists(Path.Combine(warehouse, "sessions.parquet")), "describing the warehouse seeds it");
    }
}
