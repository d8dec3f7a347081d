using KernelGateway.Platform.Spark.Connect;
using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>The connection string as Spark documents it: sql/connect/docs/client-connection-string.md.</summary>
public sealed class SparkConnectOptionsTests
{
    [Fact]
    public void A_bare_host_gets_port_15002_plain_http2_a_new_session_and_128_MiB_messages()
    {
        var o = SparkConnectOptions.Parse("sc://myhost.com/");
        Assert.Equal(("myhost.com", 15002), (o.Host, o.Port));
        Assert.False(o.UsesTls);
        Assert.Null(o.SessionId);
        Assert.Equal(128 * 1024 * 1024, o.MaxMessageSize);
        Assert.Equal(new Uri("http://myhost.com:15002/"), o.Endpoint);
        Assert.Equal(15002, SparkConnectOptions.Parse("sc://myhost.com").Port);
    }

    [Fact]
    public void Every_documented_parameter_is_read_and_values_are_percent_decoded()
    {
        var o = SparkConnectOptions.Parse("sc://myhost.com:443/;use_ssl=true;token=ABC%3D%3D;user_id=Martin;user_agent=my%20app;session_id=550e8400-e29b-41d4-a716-446655440000;grpc_max_message_size=1048576");
        Assert.Equal(443, o.Port);
        Assert.True(o.UseSsl);
        Assert.Equal("ABC==", o.Token);
        Assert.Equal("Martin", o.UserId);
        Assert.Equal("my app", o.UserAgent);
        Assert.Equal(Guid.Parse("550e8400-e29b-41d4-a716-446655440000"), o.SessionId);
        Assert.Equal(1048576, o.MaxMessageSize);
        Assert.Equal(new Uri("https://myhost.com:443/"), o.Endpoint);
        Assert.Empty(o.Headers);
    }

    [Fact]
    public void A_token_turns_tls_on_even_with_use_ssl_false_unless_allow_insecure_says_otherwise()
    {
        Assert.True(SparkConnectOptions.Parse("sc://h/;token=t").UsesTls);
        Assert.True(SparkConnectOptions.Parse("sc://h/;token=t;use_ssl=false").UsesTls);
        var insecure = SparkConnectOptions.Parse("sc://h:15002/;token=t;allow_insecure=true");
        Assert.False(insecure.UsesTls);
        Assert.Equal(new Uri("http://h:15002/"), insecure.Endpoint);
        Assert.True(SparkConnectOptions.Parse("sc://h/;use_ssl=TRUE").UsesTls);
    }

    [Fact]
    public void Unknown_parameters_become_grpc_headers_as_in_sparks_clients()
    {
        var o = SparkConnectOptions.Parse("sc://h/;x-databricks-cluster-id=0123;x-trace=a%2Fb");
        Assert.Equal(new Dictionary<string, string> { ["x-databricks-cluster-id"] = "0123", ["x-trace"] = "a/b" }, o.Headers);
    }

    [Fact]
    public void An_ipv6_address_goes_in_brackets()
    {
        var o = SparkConnectOptions.Parse("sc://[::1]:15003/");
        Assert.Equal(("::1", 15003), (o.Host, o.Port));
        Assert.Equal(new Uri("http://[::1]:15003/"), o.Endpoint);
    }

    [Theory]
    [InlineData("http://h:15002", "starts with sc://")]
    [InlineData("h:15002", "starts with sc://")]
    [InlineData("", "starts with sc://")]
    [InlineData("sc://h:70000/", "bad port '70000'")]
    [InlineData("sc://h:abc/", "bad port 'abc'")]
    [InlineData("sc://h:1:2/", "should be host:port")]
    [InlineData("sc:///;user_id=a", "no host")]
    [InlineData("sc://myhost.com:443/mypathprefix/;token=AAAAAAA", "path of a Spark Connect connection string must be empty")]
    [InlineData("sc://h/;session_id=not-a-uuid", "session_id must be a UUID")]
    [InlineData("sc://h/;use_ssl=yes", "use_ssl must be true or false")]
    [InlineData("sc://h/;grpc_max_message_size=-1", "grpc_max_message_size must be a positive number")]
    [InlineData("sc://h/;user_id", "should be key=value")]
    [InlineData("sc://h/;user_id=a;user_id=b", "given twice")]
    [InlineData("sc://h/;Token=abc", "case-sensitive")]
    [InlineData("sc://h/;X Header=1", "cannot be sent as a gRPC header")]
    [InlineData("sc://ana@h/", "no user@ part")]
    public void A_malformed_string_is_refused_with_the_reason(string text, string reason) =>
        Assert.Contains(reason, Assert.Throws<ArgumentException>(() => SparkConnectOptions.Parse(text)).Message);

    [Fact]
    public void The_token_is_never_shown()
    {
        var o = SparkConnectOptions.Parse("sc://h:1/;token=s3cr3t;user_id=ana;x-api-key=k3y;x-trace=t");
        Assert.DoesNotContain("s3cr3t", o.Redacted());
        Assert.DoesNotContain("k3y", o.Redacted());
        Assert.Contains("token=***", o.Redacted());
        Assert.Contains("x-trace=t", o.Redacted());
        Assert.DoesNotContain("s3cr3t", o.ToString());
        Assert.Equal(("h", 1, "ana", "***"), SparkConnectOptions.Parse(o.Redacted()) is var back ? (back.Host, back.Port, back.UserId, back.Token) : default);
        var bad = Assert.Throws<ArgumentException>(() => SparkConnectOptions.Parse("http://h/;token=s3cr3t"));
        Assert.DoesNotContain("s3cr3t", bad.Message);
    }

    [Fact]
    public void A_spark_connection_entry_is_checked_and_its_token_redacted()
    {
        var registry = new ConnectionRegistry();
        var spec = registry.Add(new ConnectionSpec { Name = "spark", Kind = "Spark", ConnectionString = "sc://h:15002/;token=s3cr3t" });
        Assert.Equal(ConnectionKinds.Spark, spec.Kind);
        Assert.DoesNotContain("s3cr3t", spec.ToString());
        var e = Assert.Throws<ArgumentException>(() => registry.Add(new ConnectionSpec { Name = "bad", Kind = "spark", ConnectionString = "sc://h:99999/;token=s3cr3t" }));
        Assert.Contains("bad port", e.Message);
        Assert.DoesNotContain("s3cr3t", e.Message);
    }
}
