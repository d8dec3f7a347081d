using System.Net;
using System.Net.Sockets;
using KernelGateway.Tests;
using KernelGateway.Tests.Fixtures;
using KernelGateway.Zmq;
using static KernelGateway.Tests.TestTime;

namespace KernelGateway.Extensions.Metastore.Tests;

/// <summary>
/// A real kernel over a small embedded warehouse, with two more connections: <c>pg</c>, a throwaway PostgreSQL
/// cluster holding commented tables, a partitioned one and one whose names need quoting, and <c>down</c>, a PostgreSQL connection (with a password) to a port where no
/// server listens.
/// </summary>
public sealed class MetastoreKernelFixture : IAsyncLifetime
{
    /// <summary>The password of the connection whose server is down.</summary>
    public const string DownPassword = "down-secret-4711";

    public PostgresServer Postgres { get; private set; } = null!;
    public KernelProcessHandle Kernel { get; private set; } = null!;
    public KernelClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Postgres = await PostgresServer.StartAsync();
        (Kernel, Client) = await KernelProcessHandle.StartAsync(environment: new Dictionary<string, string> { ["KG_WAREHOUSE_ROWS"] = "1000" });
        await Setup($"%connect pg kind=postgres connection_string=\"{Postgres.ConnectionString}\"");
        await Setup("""
            %%sql pg
            CREATE TABLE plays (id int NOT NULL, device text);
            CREATE TABLE players (player_id int, name text);
            CREATE TABLE "Play Log" ("Device Type" text);
            CREATE TABLE events (day date NOT NULL, n int) PARTITION BY RANGE (day);
            CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            COMMENT ON TABLE plays IS 'Streaming plays by device';
            COMMENT ON COLUMN plays.device IS 'Kind of device used';
            """);
        await Setup($"%connect down kind=postgres connection_string=\"Host=127.0.0.1;Port={ClosedPort()};Username=nobody;Password={DownPassword};Timeout=5\"");
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Kernel is not null) await Kernel.DisposeAsync();
        if (Postgres is not null) await Postgres.DisposeAsync();
    }

    private async Task Setup(string code)
    {
        var outcome = await Client.ExecuteAsync(code, cancellationToken: Soon());
        if (outcome.Status != "ok") throw new InvalidOperationException($"setup cell failed: {outcome.Reply.Content}");
    }

    /// <summary>A local port nothing listens on: bound by the system, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
