using System.Net.Security;
using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Tests.Fixtures.Spark.Connect;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>
/// The Spark Connect server the client tests of a class talk to: the protocol fixture of tests/Fixtures (with
/// <paramref name="options"/>), or a real server when <c>KG_TEST_SPARK_CONNECT_URL</c> holds a connection string such as
/// <c>sc://host:15002/;user_id=me</c>. Tests that need the fixture's records or faults are skipped against a real
/// server. The test table <see cref="Numbers"/> is made on either: on the fixture with DuckDB SQL, on a real server
/// with Spark SQL, from the same formula (<see cref="NumbersDuckDb"/> is how a test computes what to expect).
/// </summary>
public class SparkServer : IAsyncLifetime
{
    private readonly SparkConnectServerOptions _options;

    /// <summary>The test table: <see cref="NumberRows"/> rows of id, k = id % 7, x = id / 2.0, s = 'n' || id, d = a date.</summary>
    public const string Numbers = "kg_test_numbers";

    /// <summary>The rows of <see cref="Numbers"/>.</summary>
    public const int NumberRows = 100_000;

    /// <summary>DuckDB SQL that makes <see cref="Numbers"/>: the fixture's setup, and how tests compute expected results with DuckDB.</summary>
    public const string NumbersDuckDb =
        $"CREATE TABLE {Numbers} AS SELECT range AS id, range % 7 AS k, CAST(range AS DOUBLE) / 2 AS x, 'n' || CAST(range AS VARCHAR) AS s, "
        + "DATE '2024-01-01' + CAST(range % 365 AS INTEGER) AS d FROM range(100000)";

    private const string NumbersSpark =
        $"CREATE TABLE IF NOT EXISTS {Numbers} AS SELECT id, id % 7 AS k, CAST(id AS DOUBLE) / 2 AS x, concat('n', CAST(id AS STRING)) AS s, "
        + "date_add(DATE '2024-01-01', CAST(id % 365 AS INT)) AS d FROM range(100000)";

    public SparkServer() : this(new SparkConnectServerOptions())
    {
    }

    protected SparkServer(SparkConnectServerOptions options) => _options = options;

    /// <summary>A deadline for one test's calls.</summary>
    public static CancellationToken Soon => new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token;

    /// <summary>The fixture, or null against a real server.</summary>
    public SparkConnectServer? Fixture { get; private set; }

    /// <summary>The server's connection string.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>True against a real server.</summary>
    public bool Live => Fixture is null;

    public async Task InitializeAsync()
    {
        var live = Environment.GetEnvironmentVariable("KG_TEST_SPARK_CONNECT_URL");
        if (!string.IsNullOrEmpty(live))
        {
            ConnectionString = live;
            await using var client = NewClient();
            await client.ExecuteAsync(NumbersSpark, cancellationToken: Soon);
            return;
        }
        Fixture = await SparkConnectServer.StartAsync(_options);
        ConnectionString = Fixture.ConnectionString;
        await Fixture.ExecuteDuckDbAsync(NumbersDuckDb);
    }

    public async Task DisposeAsync()
    {
        if (Fixture is not null) await Fixture.DisposeAsync();
    }

    /// <summary>A new client (and session) of the server; <paramref name="parameters"/> adds connection string parameters (<c>;k=v</c>).</summary>
    public SparkConnectClient NewClient(string parameters = "") =>
        NewClient(SparkConnectOptions.Parse(ConnectionString + (parameters.Length == 0 ? "" : ";" + parameters.TrimStart(';'))));

    /// <summary>A new client with these options, trusting the fixture's certificate.</summary>
    public SparkConnectClient NewClient(SparkConnectOptions options) =>
        new(options, Fixture?.Certificate is { } certificate ? Trusting(certificate) : null);

    /// <summary>The fixture, skipping the test against a real server.</summary>
    public SparkConnectServer RequireFixture(string why)
    {
        Skip.If(Fixture is null, $"needs the protocol fixture ({why})");
        return Fixture!;
    }

    /// <summary>An HTTP handler that trusts exactly the fixture's self-signed certificate.</summary>
    private static SocketsHttpHandler Trusting(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                errors == SslPolicyErrors.None || presented?.GetCertHashString() == certificate.GetCertHashString(),
        },
    };
}

/// <summary>A fixture serving TLS with a self-signed certificate and requiring a bearer token.</summary>
public sealed class SparkTlsServer() : SparkServer(new SparkConnectServerOptions { UseTls = true, RequiredToken = SparkTlsServer.Token })
{
    public const string Token = "kg-test-token-3f1c";
}

/// <summary>A fixture without TLS that requires a bearer token (for <c>allow_insecure</c>).</summary>
public sealed class SparkTokenServer() : SparkServer(new SparkConnectServerOptions { RequiredToken = SparkTlsServer.Token });

/// <summary>A fixture that reports progress before the first batch and sends small batches.</summary>
public sealed class SparkProgressServer() : SparkServer(new SparkConnectServerOptions { ProgressReports = 3, MaxRowsPerBatch = 1000 });
