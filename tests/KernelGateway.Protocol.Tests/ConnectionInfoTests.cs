using KernelGateway.Protocol;

namespace KernelGateway.Protocol.Tests;

public sealed class ConnectionInfoTests
{
    [Fact]
    public void A_local_connection_has_five_distinct_ports_and_a_random_key_on_loopback()
    {
        var a = ConnectionInfo.CreateLocal();
        var b = ConnectionInfo.CreateLocal();
        Assert.Equal("127.0.0.1", a.IP);
        Assert.Equal(5, new[] { a.ShellPort, a.IOPubPort, a.StdinPort, a.ControlPort, a.HeartbeatPort }.Distinct().Count());
        Assert.Equal(64, a.Key.Length);
        Assert.NotEqual(a.Key, b.Key);
        Assert.Equal($"tcp://127.0.0.1:{a.ShellPort}", a.Endpoint(KernelChannel.Shell));
    }

    [Fact]
    public void Save_and_load_round_trip_with_owner_only_permissions()
    {
        var dir = Path.Combine(Path.GetTempPath(), "kg-conn-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(dir, "kernel-1.json");
        var info = ConnectionInfo.CreateLocal() with { KernelName = "python3" };
        info.Save(path);
        Assert.Equal(info, ConnectionInfo.Load(path));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Single(Directory.GetFiles(dir));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Reads_a_connection_file_written_by_jupyter_client()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, """
            {"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005,
             "ip": "127.0.0.1", "key": "a0436f6c-1916-498b-8eb9-e81ab9368e84", "transport": "tcp",
             "signature_scheme": "hmac-sha256", "kernel_name": ""}
            """);
        var info = ConnectionInfo.Load(path);
        Assert.Equal(5004, info.ControlPort);
        Assert.Equal("a0436f6c-1916-498b-8eb9-e81ab9368e84", info.Key);
        File.Delete(path);
    }

    [Fact]
    public void A_file_that_is_not_a_connection_file_is_a_clear_error()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "{ not json");
        var e = Assert.Throws<InvalidDataException>(() => ConnectionInfo.Load(path));
        Assert.Contains(path, e.Message);
        File.Delete(path);
    }

    [Theory]
    [InlineData("execute_request", "execute_reply")]
    [InlineData("kernel_info_request", "kernel_info_reply")]
    [InlineData("weird", "weird_reply")]
    public void Reply_types_follow_request_types(string request, string reply) => Assert.Equal(reply, MessageTypes.ReplyFor(request));

    [Fact]
    public void Unsupported_signature_schemes_are_refused()
    {
        Assert.Throws<NotSupportedException>(() => new MessageSigner("k", "hmac-md5"));
    }
}
