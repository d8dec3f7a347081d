using KernelGateway.Platform.Trino;

namespace KernelGateway.Platform.Tests.Trino;

public sealed class TrinoConnectionOptionsTests
{
    [Fact]
    public void A_url_gives_server_user_catalog_schema_and_session()
    {
        var o = TrinoConnectionOptions.Parse("trino://ana@coordinator:8081/hive/web?source=nb&timezone=Europe/Paris&client_tags=a,b&session.query_max_run_time=1h&extra_credential.token=t1&role.hive=admin&client_info=x");
        Assert.Equal(new Uri("http://coordinator:8081/"), o.Server);
        Assert.Equal(("ana", "hive", "web", "nb", "Europe/Paris", "x"), (o.User, o.Catalog, o.Schema, o.Source, o.TimeZone, o.ClientInfo));
        Assert.Equal(["a", "b"], o.ClientTags);
        Assert.Equal("1h", o.SessionProperties["query_max_run_time"]);
        Assert.Equal("t1", o.ExtraCredentials["token"]);
        Assert.Equal("admin", o.Roles["hive"]);
        Assert.False(o.Presto);
        Assert.Equal("X-Trino-", o.HeaderPrefix);
    }

    [Fact]
    public void Defaults_ports_and_dialects_follow_the_scheme_and_kind()
    {
        Assert.Equal(new Uri("http://h:8080/"), TrinoConnectionOptions.Parse("trino://u@h").Server);
        Assert.Equal(new Uri("https://h/"), TrinoConnectionOptions.Parse("trino://u@h?ssl=true").Server);
        Assert.Equal(new Uri("https://h:8443/"), TrinoConnectionOptions.Parse("https://u@h:8443").Server);
        Assert.True(TrinoConnectionOptions.Parse("presto://u@h").Presto);
        Assert.True(TrinoConnectionOptions.Parse("trino://u@h", presto: false) is { Presto: false });
        Assert.Equal("X-Presto-", TrinoConnectionOptions.Parse("http://u@h:8080", presto: true).HeaderPrefix);
    }

    [Fact]
    public void Keywords_work_like_the_url()
    {
        var o = TrinoConnectionOptions.Parse("Host=h;Port=9000;User=ana;Catalog=tpch;Schema=tiny;Ssl=true;Password=pw;Verify=false");
        Assert.Equal(new Uri("https://h:9000/"), o.Server);
        Assert.Equal(("ana", "pw", "tpch", "tiny", false), (o.User, o.Password, o.Catalog, o.Schema, o.VerifyCertificate));
        Assert.Equal(new Uri("https://h:8443/"), TrinoConnectionOptions.Parse("Server=https://h:8443;User=u").Server);
    }

    [Theory]
    [InlineData("trino://h:8080", "no user")]
    [InlineData("trino://ana:pw@h:8080", "only sent over HTTPS")]
    [InlineData("trino://ana@h:8080?access_token=t", "only sent over HTTPS")]
    [InlineData("trino://ana@h:8080?colour=blue", "unknown key 'colour'")]
    [InlineData("trino://ana@h:8080/a/b/c", "at most /catalog/schema")]
    [InlineData("trino://ana@h:8080?ssl=maybe", "ssl must be true or false")]
    [InlineData("", "empty connection string")]
    public void What_cannot_work_is_refused_with_the_reason(string text, string reason) =>
        Assert.Contains(reason, Assert.Throws<ArgumentException>(() => TrinoConnectionOptions.Parse(text)).Message);

    [Fact]
    public void Credentials_over_plain_http_only_when_the_connection_says_so()
    {
        var o = TrinoConnectionOptions.Parse("trino://ana:pw@h:8080?allow_insecure=true");
        Assert.Equal("pw", o.Password);
        Assert.DoesNotContain("pw", o.ToString());
    }
}
