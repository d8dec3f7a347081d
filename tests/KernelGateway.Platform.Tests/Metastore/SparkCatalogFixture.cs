using KernelGateway.Platform.Metastore;
using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Tests.Fixtures.Spark.Connect;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>
/// A Spark Connect protocol server whose <c>spark_catalog</c> holds <see cref="LogicalCatalog"/> (set up in the
/// fixture's DuckDB, as Spark's own catalog cannot be written over the wire here), a second catalog <c>lake</c> with
/// one schema, and a table whose name holds a back quote.
/// </summary>
public sealed class SparkCatalogFixture : IAsyncLifetime
{
    public const string BacktickTable = "we`ird näme";

    public SparkConnectServer Server { get; private set; } = null!;

    /// <summary>The bearer token the server requires; no answer may ever show it.</summary>
    public string Token { get; } = "sct-" + Guid.NewGuid().ToString("N");

    public string ConnectionString => $"sc://127.0.0.1:{Server.Uri.Port}/;token={Token};allow_insecure=true";

    internal SparkMetastoreProvider Provider(string connection)
    {
        var client = new SparkConnectClient(ConnectionString);
        return new SparkMetastoreProvider(connection, () => client);
    }

    public async Task InitializeAsync()
    {
        Server = await SparkConnectServer.StartAsync(new SparkConnectServerOptions { RequiredToken = Token });
        string[] more =
        [
            "ATTACH ':memory:' AS lake",
            "CREATE SCHEMA lake.raw",
            "CREATE TABLE lake.raw.events (id BIGINT, payload VARCHAR)",
            "COMMENT ON TABLE lake.raw.events IS 'raw events'",
            $"CREATE TABLE spark_catalog.\"default\".\"{BacktickTable}\" (\"a`b\" INTEGER)",
        ];
        foreach (var statement in LogicalCatalog.Statements.Concat(more))
        {
            try { await Server.ExecuteDuckDbAsync(statement); }
            catch (Exception e) { throw new InvalidOperationException($"setting up with '{statement}' failed: {e.Message}", e); }
        }
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
