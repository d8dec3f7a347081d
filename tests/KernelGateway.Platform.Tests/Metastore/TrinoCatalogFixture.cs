using KernelGateway.Platform.Metastore;
using KernelGateway.Platform.Trino;
using KernelGateway.Tests.Fixtures.Trino;

namespace KernelGateway.Platform.Tests.Metastore;

/// <summary>
/// A Trino protocol server whose <c>memory</c> catalog holds <see cref="LogicalCatalog"/>, created through the Trino
/// client in Trino's SQL (its one DuckDB spelling, <c>VARCHAR[]</c>, written <c>array(varchar)</c>), plus a table
/// whose name has a single quote and non-ASCII letters, in schema <c>default</c>.
/// </summary>
public class TrinoCatalogFixture : IAsyncLifetime
{
    public const string QuoteTable = "it's ñame";

    private readonly bool _presto;

    public TrinoCatalogFixture() : this(presto: false) { }

    protected TrinoCatalogFixture(bool presto) => _presto = presto;

    public TrinoProtocolServer Server { get; private set; } = null!;

    /// <summary>The password the server requires (HTTP Basic, user <c>kg</c>); no answer may ever show it.</summary>
    public string Secret { get; } = "tpw-" + Guid.NewGuid().ToString("N");

    /// <summary>The connection string of the server, session catalog <c>memory</c>, with the password.</summary>
    public string ConnectionString => $"{(_presto ? "presto" : "trino")}://kg:{Secret}@127.0.0.1:{Server.BaseUri.Port}/memory/default?allow_insecure=true";

    public string Kind => _presto ? "presto" : "trino";

    /// <summary>A new client of the server.</summary>
    public TrinoClient NewClient() => new(TrinoConnectionOptions.Parse(ConnectionString, _presto));

    internal TrinoMetastoreProvider Provider(string connection)
    {
        var client = NewClient();
        return new TrinoMetastoreProvider(connection, () => client);
    }

    public async Task InitializeAsync()
    {
        Server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { Presto = _presto, RequiredBasic = ("kg", Secret) });
        using var client = NewClient();
        string[] more =
        [
            $"CREATE TABLE \"default\".\"{QuoteTable}\" (\"Ünï Côl\" integer NOT NULL, note varchar)",
            $"INSERT INTO \"default\".\"{QuoteTable}\" VALUES (7, 'seven')",
        ];
        foreach (var statement in LogicalCatalog.Statements.Select(s => s.Replace("VARCHAR[]", "array(varchar)", StringComparison.Ordinal)).Concat(more))
        {
            try { await client.ExecuteAsync(statement); }
            catch (Exception e) { throw new InvalidOperationException($"setting up with '{statement}' failed: {e.Message}", e); }
        }
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The same, in the Presto dialect.</summary>
public sealed class PrestoCatalogFixture() : TrinoCatalogFixture(presto: true);
