using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Platform.Trino;
using KernelGateway.Tests.Fixtures.Trino;

namespace KernelGateway.Platform.Tests.Trino;

/// <summary>
/// Our client and the independent npm clients (trino-client for Trino, presto-client for Presto) read the same
/// rows from the same server: a table of mixed types, and a million rows across many pages.
/// </summary>
public sealed class CrossCheckTests
{
    private static CancellationToken Soon => new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token;

    private const string Mixed = """
        CREATE TABLE memory."default".mixed (id INTEGER, name VARCHAR, score DOUBLE, price DECIMAL(10,2), day DATE, seen_at TIMESTAMP, ok BOOLEAN, tags VARCHAR[]);
        INSERT INTO memory."default".mixed VALUES
          (1, 'ann', 1.5, 10.25, DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05.123', true, ['a', 'b']),
          (2, 'bo''b ☃', -0.125, 0.10, DATE '1999-12-31', TIMESTAMP '1999-12-31 23:59:59.999', false, []),
          (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
        """;

    [Theory]
    [InlineData("trino")]
    [InlineData("presto")]
    public async Task Our_client_reads_the_same_rows_as_the_npm_client(string dialect)
    {
        var presto = dialect == "presto";
        await using var server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { Presto = presto, TargetPageBytes = 256 << 10 });
        await server.ExecuteDuckDbAsync(Mixed);
        using var client = new TrinoClient(TrinoConnectionOptions.Parse($"{dialect}://ann@127.0.0.1:{server.BaseUri.Port}/memory/default"));

        var theirs = await NodeTrinoClients.ReadRowsAsync(dialect, server.BaseUri, "ann", "SELECT * FROM mixed ORDER BY id", "memory", "default", ct: Soon);
        Assert.False(theirs.TryGetProperty("error", out var error), error.ToString());
        var ours = await client.QueryAsync("SELECT * FROM mixed ORDER BY id", cancellationToken: Soon);
        Assert.Equal(theirs.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()), ours.Columns.Select(c => c.Name));
        var theirRows = theirs.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(theirRows.Count, ours.Rows.Count);
        for (var i = 0; i < ours.Rows.Count; i++)
        {
            var expected = JsonNode.Parse(theirRows[i].GetRawText());
            var actual = new JsonArray(ours.Rows[i].Select(AsTrinoJson).ToArray());
            Assert.True(JsonNode.DeepEquals(expected, actual), $"row {i}: npm {expected?.ToJsonString()} ours {actual.ToJsonString()}");
        }

        var summary = await NodeTrinoClients.ReadRowsAsync(dialect, server.BaseUri, "ann", TrinoSql.MillionRows, summary: true, ct: Soon);
        long count = 0, sum = 0;
        await using var query = client.Submit(TrinoSql.MillionRows, cancellationToken: Soon);
        await foreach (var row in query.ReadRowsAsync(Soon)) { count++; sum += (long)row[0]!; }
        Assert.Equal(summary.GetProperty("rowCount").GetInt64(), count);
        Assert.Equal(summary.GetProperty("firstColumnSum").GetString(), sum.ToString(CultureInfo.InvariantCulture));
        Assert.True(server.Queries.Count(q => q.PagesProduced > 10) == 2, "both reads went across many pages");
    }

    /// <summary>
    /// Our decoded value spelled as Trino's JSON spells it, to compare with what the npm clients hand over as sent.
    /// Timestamps at millisecond precision: the npm clients do not ask for parametric datetimes, so they get 3 digits.
    /// </summary>
    private static JsonNode? AsTrinoJson(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        decimal m => JsonValue.Create(m.ToString(CultureInfo.InvariantCulture)),
        DateOnly day => JsonValue.Create(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        DateTime t => JsonValue.Create(t.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)),
        IEnumerable items => new JsonArray(items.Cast<object?>().Select(AsTrinoJson).ToArray()),
        _ => throw new InvalidOperationException($"no JSON spelling for {value.GetType()} in this test"),
    };
}

/// <summary>The fixture's benchmark mode: an identical query is answered from the pages of the first run.</summary>
public sealed class ReplayResultsTests
{
    [Fact]
    public async Task An_identical_query_is_served_from_the_first_runs_pages()
    {
        await using var server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { ReplayResults = true });
        await server.ExecuteDuckDbAsync("CREATE TABLE memory.\"default\".t AS SELECT 1 AS x");
        using var client = new TrinoClient(TrinoConnectionOptions.Parse($"trino://ann@127.0.0.1:{server.BaseUri.Port}/memory/default"));
        Assert.Equal(1L, (await client.QueryAsync("SELECT count(*) FROM t")).Rows[0][0]);
        await server.ExecuteDuckDbAsync("INSERT INTO memory.\"default\".t VALUES (2)");
        Assert.Equal(1L, (await client.QueryAsync("SELECT count(*) FROM t")).Rows[0][0]); // replayed
        Assert.Equal(2L, (await client.QueryAsync("SELECT count(*) AS n FROM t")).Rows[0][0]); // another query runs
    }
}

/// <summary>Credentials go over HTTPS, and over plain HTTP only when the connection says so.</summary>
public sealed class TrinoAuthenticationTests
{
    private static CancellationToken Soon => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task Basic_and_bearer_credentials_go_over_https()
    {
        await using var basic = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { Https = true, RequiredBasic = ("ann", "s3cret") });
        using (var client = new TrinoClient(TrinoConnectionOptions.Parse($"https://ann:s3cret@127.0.0.1:{basic.BaseUri.Port}/tpch/tiny?verify=false")))
            Assert.Equal(5L, (await client.QueryAsync<long>("SELECT count(*) FROM region", cancellationToken: Soon)).Single());
        Assert.All(basic.Requests, r => Assert.Equal("Basic " + Convert.ToBase64String("ann:s3cret"u8.ToArray()), r.Header("Authorization").Single()));
        using (var wrong = new TrinoClient(TrinoConnectionOptions.Parse($"https://ann:nope@127.0.0.1:{basic.BaseUri.Port}/tpch/tiny?verify=false")))
        {
            var e = await Assert.ThrowsAsync<TrinoException>(() => wrong.QueryAsync("SELECT 1", cancellationToken: Soon));
            Assert.Contains("authentication failed", e.Message);
            Assert.DoesNotContain("nope", e.Message);
        }

        await using var bearer = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { Https = true, RequiredBearerToken = "t0ken" });
        using (var client = new TrinoClient(TrinoConnectionOptions.Parse($"Server=https://127.0.0.1:{bearer.BaseUri.Port};User=ann;AccessToken=t0ken;Verify=false")))
            Assert.Equal(1, (await client.QueryAsync("SELECT 1", cancellationToken: Soon)).Rows[0][0]);
        Assert.All(bearer.Requests, r => Assert.Equal("Bearer t0ken", r.Header("Authorization").Single()));
    }

    [Fact]
    public async Task A_certificate_that_is_not_trusted_is_refused_unless_verify_is_off()
    {
        await using var server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { Https = true });
        using var client = new TrinoClient(TrinoConnectionOptions.Parse($"https://ann@127.0.0.1:{server.BaseUri.Port}"));
        var e = await Assert.ThrowsAsync<TrinoException>(() => client.QueryAsync("SELECT 1", cancellationToken: Soon));
        Assert.Contains("cannot reach the Trino server at https://127.0.0.1:", e.Message);
    }

    [Fact]
    public async Task Over_plain_http_credentials_are_refused_or_sent_only_when_allowed()
    {
        Assert.Throws<ArgumentException>(() => TrinoConnectionOptions.Parse("trino://ann:s3cret@127.0.0.1:8080"));
        await using var server = await TrinoProtocolServer.StartAsync(new TrinoServerOptions { RequiredBasic = ("ann", "s3cret") });
        using var client = new TrinoClient(TrinoConnectionOptions.Parse($"trino://ann:s3cret@127.0.0.1:{server.BaseUri.Port}?allow_insecure=true"));
        Assert.Equal(1, (await client.QueryAsync("SELECT 1", cancellationToken: Soon)).Rows[0][0]);
        using var anonymous = new TrinoClient(TrinoConnectionOptions.Parse($"trino://ann@127.0.0.1:{server.BaseUri.Port}"));
        await Assert.ThrowsAsync<TrinoException>(() => anonymous.QueryAsync("SELECT 1", cancellationToken: Soon));
        Assert.Empty(server.Requests.Last().Header("Authorization"));
    }
}
