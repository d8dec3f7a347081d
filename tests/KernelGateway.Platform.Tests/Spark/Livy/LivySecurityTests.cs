using System.Net;
using System.Text;
using KernelGateway.Platform.Spark.Livy;
using KernelGateway.Tests.Fixtures.Spark.Livy;

namespace KernelGateway.Platform.Tests.Spark.Livy;

/// <summary>CSRF protection and credentials: what every request carries, and what never leaks.</summary>
public sealed class LivySecurityTests
{
    private static CancellationToken Soon => LivyTestServer.Soon;

    [Fact]
    public async Task With_CSRF_protection_on_every_request_but_GET_carries_X_Requested_By()
    {
        await using var fixture = await LivyServer.StartAsync(new LivyServerOptions { Csrf = true });
        using var client = new LivyClient(LivyOptions.Parse("livy+" + fixture.BaseUri));
        var held = fixture.Scripts.Hold("long()");

        var session = await client.CreateSessionAsync(new LivySessionRequest { Kind = LivyKinds.PySpark }, Soon);
        await client.WaitForIdleAsync(session.Id, null, Soon);
        await client.RunStatementAsync(session.Id, "SELECT 1", LivyKinds.Sql, cancellationToken: Soon);
        using (var cancel = CancellationTokenSource.CreateLinkedTokenSource(Soon))
        {
            var run = client.RunStatementAsync(session.Id, "long()", cancellationToken: cancel.Token);
            await held.Started.WaitAsync(Soon);
            await cancel.CancelAsync();
            Assert.True((await Assert.ThrowsAsync<LivyStatementCancelledException>(() => run)).ConfirmedByServer);
        }
        await client.DeleteSessionAsync(session.Id, Soon);
        var batch = await client.SubmitBatchAsync(new LivyBatchRequest { File = "hdfs:///jobs/a.py" }, Soon);
        await client.DeleteBatchAsync(batch.Id, Soon);

        var changes = fixture.Requests.Where(r => r.Method != "GET").ToList();
        Assert.Equal(["POST", "POST", "POST", "POST", "DELETE", "POST", "DELETE"], changes.Select(r => r.Method));
        Assert.All(changes, r => Assert.Equal(["kernelgateway"], r.Header("X-Requested-By")));
        Assert.All(changes.Where(r => r.Method == "POST"), r => Assert.StartsWith("application/json", r.Header("Content-Type").Single()));
        Assert.All(fixture.Requests, r => Assert.NotEqual(400, r.Status));
    }

    [Fact]
    public async Task Without_X_Requested_By_the_CSRF_filter_refuses_and_the_client_says_why()
    {
        await using var fixture = await LivyServer.StartAsync(new LivyServerOptions { Csrf = true });
        using var raw = new HttpClient();

        var refused = await raw.PostAsync(new Uri(fixture.BaseUri, "sessions"), new StringContent("{}", Encoding.UTF8, "application/json"), Soon);
        using var named = new LivyClient(LivyOptions.Parse("livy+" + fixture.BaseUri + "?requested_by=ana"));
        await named.CreateSessionAsync(new LivySessionRequest(), Soon);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Missing Required Header for CSRF protection.", await refused.Content.ReadAsStringAsync(Soon));
        Assert.Equal(["ana"], fixture.Requests.Last(r => r.Method == "POST").Header("X-Requested-By"));
    }

    [Fact]
    public async Task Basic_credentials_go_over_https_and_a_wrong_password_never_shows_in_the_error()
    {
        await using var fixture = await LivyServer.StartAsync(new LivyServerOptions { Https = true, RequiredBasic = ("ana", "s3cret") });
        var url = fixture.BaseUri.ToString().Replace("https://", "", StringComparison.Ordinal);
        using var client = new LivyClient(LivyOptions.Parse($"livy+https://ana:s3cret@{url}?verify=false"));
        using var wrong = new LivyClient(LivyOptions.Parse($"livy+https://ana:wr0ng-pw@{url}?verify=false"));

        var session = await client.CreateSessionAsync(new LivySessionRequest { Kind = LivyKinds.Spark }, Soon);
        var e = await Assert.ThrowsAsync<LivyException>(() => wrong.ListSessionsAsync(cancellationToken: Soon));

        Assert.Equal("ana", session.Owner);
        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.Contains("authentication failed", e.Message);
        Assert.DoesNotContain("wr0ng-pw", e.ToString());
        Assert.DoesNotContain("s3cret", client.ToString() + client.Options.Redacted());
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ana:s3cret"));
        Assert.Equal([basic], fixture.Requests.First().Header("Authorization"));
    }

    [Fact]
    public async Task A_bearer_token_goes_over_plain_http_only_when_the_connection_allows_it()
    {
        await using var fixture = await LivyServer.StartAsync(new LivyServerOptions { RequiredBearerToken = "t0k3n" });

        var refused = Assert.Throws<ArgumentException>(() => LivyOptions.Parse("livy+" + fixture.BaseUri + "?token=t0k3n"));
        using var client = new LivyClient(LivyOptions.Parse("livy+" + fixture.BaseUri + "?token=t0k3n&allow_insecure=true"));
        var sessions = await client.ListSessionsAsync(cancellationToken: Soon);

        Assert.Contains("only sent over HTTPS", refused.Message);
        Assert.DoesNotContain("t0k3n", refused.Message);
        Assert.Equal(0, sessions.Total);
        Assert.Equal(["Bearer t0k3n"], fixture.Requests.Single().Header("Authorization"));
    }
}
