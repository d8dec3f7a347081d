using Grpc.Core;
using KernelGateway.Platform.Spark.Connect;
using static KernelGateway.Platform.Tests.Spark.SparkServer;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>A token goes as <c>Authorization: Bearer</c> over TLS (the fixture serves a self-signed certificate and requires the token).</summary>
public sealed class SparkAuthTests(SparkTlsServer server) : IClassFixture<SparkTlsServer>
{
    [SkippableFact]
    public async Task A_token_goes_as_a_bearer_header_over_tls()
    {
        var fixture = server.RequireFixture("a token-checking TLS server");
        await using var client = server.NewClient();
        Assert.True(client.Options.UsesTls);
        Assert.Equal(NumberRows, (await client.QueryAsync<long>($"SELECT count(*) FROM {Numbers}", cancellationToken: Soon)).Single());
        Assert.All(fixture.Calls.Where(c => c.SessionId == client.SessionId), c => Assert.Equal($"Bearer {SparkTlsServer.Token}", c.Header("authorization")));
    }

    [SkippableFact]
    public async Task A_wrong_token_is_refused_and_never_shown()
    {
        server.RequireFixture("a token-checking TLS server");
        await using var client = server.NewClient(SparkConnectOptions.Parse(server.ConnectionString) with { Token = "wrong-s3cr3t" });
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => client.VersionAsync(Soon));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.DoesNotContain("s3cr3t", e.ToString());
        Assert.DoesNotContain("s3cr3t", client.ToString());
    }

    [SkippableFact]
    public async Task A_certificate_the_machine_does_not_trust_is_refused()
    {
        server.RequireFixture("a self-signed certificate");
        await using var client = new SparkConnectClient(server.ConnectionString);
        var e = await Assert.ThrowsAsync<SparkConnectException>(() => client.VersionAsync(Soon));
        Assert.Contains("SSL connection could not be established", e.Message);
    }
}

/// <summary>A token over plain HTTP/2 only with <c>allow_insecure=true</c>: otherwise the token turns TLS on.</summary>
public sealed class SparkInsecureTokenTests(SparkTokenServer server) : IClassFixture<SparkTokenServer>
{
    [SkippableFact]
    public async Task A_token_is_sent_over_h2c_only_when_allowed()
    {
        var fixture = server.RequireFixture("a token-checking h2c server");
        await using var allowed = server.NewClient("allow_insecure=true");
        Assert.False(allowed.Options.UsesTls);
        Assert.Equal(fixture.Options.SparkVersion, await allowed.VersionAsync(Soon));
        await using var tls = server.NewClient();
        Assert.True(tls.Options.UsesTls);
        Assert.Contains("SSL connection could not be established", (await Assert.ThrowsAsync<SparkConnectException>(() => tls.VersionAsync(Soon))).Message);
    }
}
