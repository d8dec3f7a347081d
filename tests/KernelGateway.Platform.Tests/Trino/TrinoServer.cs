using KernelGateway.Platform.Trino;
using KernelGateway.Tests.Fixtures.Trino;

namespace KernelGateway.Platform.Tests.Trino;

/// <summary>
/// The Trino the tests of a class talk to: the protocol server of tests/Fixtures, or a real coordinator when
/// <c>KG_TEST_TRINO_URL</c> (or, for <see cref="PrestoServer"/>, <c>KG_TEST_PRESTO_URL</c>) holds a connection string
/// such as <c>trino://user@host:8080/memory/default</c>. Tests that need the fixture's fault injection or records
/// are skipped against a real server.
/// </summary>
public class TrinoServer : IAsyncLifetime
{
    private readonly bool _presto;

    public TrinoServer() : this(presto: false) { }

    protected TrinoServer(bool presto) => _presto = presto;

    /// <summary>The fixture, or null against a real server.</summary>
    public TrinoProtocolServer? Fixture { get; private set; }

    /// <summary>The connection string of the server.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>True against a real server.</summary>
    public bool Live => Fixture is null;

    public async Task InitializeAsync()
    {
        var live = Environment.GetEnvironmentVariable(_presto ? "KG_TEST_PRESTO_URL" : "KG_TEST_TRINO_URL");
        if (!string.IsNullOrEmpty(live))
        {
            ConnectionString = live;
            return;
        }
        Fixture = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { Presto = _presto });
        ConnectionString = $"{(_presto ? "presto" : "trino")}://tester@127.0.0.1:{Fixture.BaseUri.Port}/memory/default";
    }

    public async Task DisposeAsync()
    {
        if (Fixture is not null) await Fixture.DisposeAsync();
    }

    /// <summary>A new client (and session) of the server; <paramref name="query"/> adds URL keys (<c>&amp;k=v</c>).</summary>
    public TrinoClient NewClient(string query = "") =>
        new(TrinoConnectionOptions.Parse(ConnectionString + (query.Length == 0 ? "" : (ConnectionString.Contains('?') ? "&" : "?") + query.TrimStart('&', '?')), _presto));

    /// <summary>The fixture, skipping the test against a real server.</summary>
    public TrinoProtocolServer RequireFixture(string why)
    {
        Skip.If(Fixture is null, $"needs the protocol fixture ({why})");
        return Fixture!;
    }
}

/// <summary>The same, in the Presto dialect.</summary>
public sealed class PrestoServer() : TrinoServer(presto: true);

/// <summary>SQL that is valid on Trino and answered by the fixture.</summary>
public static class TrinoSql
{
    /// <summary>A million rows n = 0..999,999 (Trino caps <c>sequence</c> at 10,000 elements, hence the cross join).</summary>
    public const string MillionRows = "SELECT a * 1000 + b AS n FROM UNNEST(sequence(0, 999)) AS x(a) CROSS JOIN UNNEST(sequence(0, 999)) AS y(b)";

    /// <summary>The sum of <see cref="MillionRows"/>.</summary>
    public const long MillionRowsSum = 499_999_500_000;
}
