using KernelGateway.Platform.Spark.Livy;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Platform.Tests.Spark.Livy;

public sealed class LivyOptionsTests
{
    [Fact]
    public void A_url_gives_server_path_credentials_and_settings()
    {
        var o = LivyOptions.Parse("livy+https://ana:p%40ss@livy.example.com/gateway/default/livy/v1?session_start_timeout=120&requested_by=nb&request_timeout=30&retry_time=10&verify=false");

        Assert.Equal(new Uri("https://livy.example.com:8998/gateway/default/livy/v1/"), o.Server);
        Assert.Equal(("ana", "p@ss", null), (o.User, o.Password, o.AccessToken));
        Assert.Equal((TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)), (o.SessionStartTimeout, o.RequestTimeout, o.MaxRetryTime));
        Assert.Equal(("nb", false, true), (o.RequestedBy, o.VerifyCertificate, o.SendsCredentials));
    }

    [Theory]
    [InlineData("livy://h", "http://h:8998/")]
    [InlineData("livy+http://h:9000/x", "http://h:9000/x/")]
    [InlineData("http://h:8998", "http://h:8998/")]
    [InlineData("https://h/livy", "https://h/livy/")]
    [InlineData("http://h", "http://h/")]
    public void Ports_default_to_Livys_for_livy_schemes_and_to_the_schemes_own_for_plain_urls(string text, string server)
    {
        var o = LivyOptions.Parse(text);
        Assert.Equal(new Uri(server), o.Server);
        Assert.Equal(("kernelgateway", TimeSpan.FromSeconds(60), false), (o.RequestedBy, o.SessionStartTimeout, o.SendsCredentials));
    }

    [Theory]
    [InlineData("livy+http://ana:pw@h", "only sent over HTTPS")]
    [InlineData("livy+http://h?token=t", "only sent over HTTPS")]
    [InlineData("livy+https://ana@h", "has no password")]
    [InlineData("livy+https://ana:pw@h?token=t", "not both")]
    [InlineData("livy+http://h?colour=blue", "unknown key 'colour'")]
    [InlineData("livy+http://h?session_start_timeout=soon", "session_start_timeout must be a positive number")]
    [InlineData("trino://h:8080", "unknown scheme 'trino'")]
    [InlineData("", "empty connection string")]
    public void What_cannot_work_is_refused_with_the_reason(string text, string reason) =>
        Assert.Contains(reason, Assert.Throws<ArgumentException>(() => LivyOptions.Parse(text)).Message);

    [Fact]
    public void Secrets_never_show_in_text_and_plain_http_carries_them_only_when_allowed()
    {
        var basic = LivyOptions.Parse("livy+http://ana:s3cret@h:8998?allow_insecure=true");
        var bearer = LivyOptions.Parse("livy+https://h?token=eyJhbGc");

        Assert.True(basic.SendsCredentials);
        Assert.Equal("livy+http://ana:***@h:8998?allow_insecure=true", basic.Redacted());
        Assert.Equal("livy+https://h:8998?token=***", bearer.Redacted());
        Assert.DoesNotContain("s3cret", basic.ToString());
        Assert.DoesNotContain("eyJhbGc", bearer.ToString());
        Assert.DoesNotContain("s3cret", basic.Server.ToString());
    }

    [Fact]
    public void A_livy_connection_is_validated_by_its_client_and_redacted()
    {
        var registry = new ConnectionRegistry();
        var spec = registry.Add(new ConnectionSpec { Name = "spark", Kind = "LIVY", ConnectionString = "livy+https://ana:s3cret@livy:8998" });

        Assert.Equal(ConnectionKinds.Livy, spec.Kind);
        Assert.Equal("livy+https://ana:***@livy:8998", spec.Redacted);
        var bad = Assert.Throws<ArgumentException>(() => registry.Add(new ConnectionSpec { Name = "lake", Kind = "livy", ConnectionString = "livy+http://ana:s3cret@livy:8998" }));
        Assert.Contains("only sent over HTTPS", bad.Message);
        Assert.DoesNotContain("s3cret", bad.Message);
    }
}
