using KernelGateway.Gateway.Options;

namespace KernelGateway.Gateway.Tests.Options;

public sealed class GatewayOptionsTests
{
    [Fact]
    public void Defaults_are_kernel_gateways()
    {
        var o = GatewayOptions.FromEnvironment(_ => null);
        Assert.Equal(8888, o.Port);
        Assert.Equal("127.0.0.1", o.IP);
        Assert.Equal("", o.BasePath);
        Assert.Null(o.AuthToken);
        Assert.Null(o.AllowOrigin);
        Assert.Null(o.MaxKernels);
        Assert.False(o.ListKernels);
        Assert.Equal(0, o.PrespawnCount);
        Assert.Empty(o.EnvProcessWhitelist);
        Assert.Equal((TimeSpan.Zero, TimeSpan.FromSeconds(300), false, false), (o.CullIdleTimeout, o.CullInterval, o.CullConnected, o.CullBusy));
    }

    [Fact]
    public void Every_KG_variable_sets_its_option()
    {
        var env = new Dictionary<string, string>
        {
            ["KG_PORT"] = "9999", ["KG_IP"] = "0.0.0.0", ["KG_BASE_URL"] = "/gw/", ["KG_AUTH_TOKEN"] = "s3cret",
            ["KG_ALLOW_ORIGIN"] = "*", ["KG_ALLOW_HEADERS"] = "X-A", ["KG_ALLOW_METHODS"] = "GET", ["KG_ALLOW_CREDENTIALS"] = "true",
            ["KG_MAX_KERNELS"] = "3", ["KG_LIST_KERNELS"] = "True", ["KG_DEFAULT_KERNEL_NAME"] = "kg",
            ["KG_ENV_PROCESS_WHITELIST"] = "A, B", ["KG_PRESPAWN_COUNT"] = "2",
            ["KG_CULL_IDLE_TIMEOUT"] = "600", ["KG_CULL_INTERVAL"] = "2.5", ["KG_CULL_CONNECTED"] = "true", ["KG_CULL_BUSY"] = "1",
        };
        var o = GatewayOptions.FromEnvironment(env.GetValueOrDefault);
        Assert.Equal(9999, o.Port);
        Assert.Equal("0.0.0.0", o.IP);
        Assert.Equal("/gw", o.BasePath);
        Assert.Equal("s3cret", o.AuthToken);
        Assert.Equal(("*", "X-A", "GET", "true"), (o.AllowOrigin, o.AllowHeaders, o.AllowMethods, o.AllowCredentials));
        Assert.Equal(3, o.MaxKernels);
        Assert.True(o.ListKernels);
        Assert.Equal("kg", o.DefaultKernelName);
        Assert.Equal(["A", "B"], o.EnvProcessWhitelist);
        Assert.Equal(2, o.PrespawnCount);
        Assert.Equal((TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(2.5), true, true), (o.CullIdleTimeout, o.CullInterval, o.CullConnected, o.CullBusy));
    }

    [Fact]
    public void The_data_directory_and_warehouse_size_are_read_as_the_kernel_reads_them()
    {
        var o = GatewayOptions.FromEnvironment(n => n switch { "KG_DATA_DIR" => "/srv/kg", "KG_WAREHOUSE_ROWS" => "1000", _ => null });
        Assert.Equal(("/srv/kg", 1000L), (o.DataDirectory, o.WarehouseRows));
        var defaults = GatewayOptions.FromEnvironment(n => n == "KG_WAREHOUSE_ROWS" ? "lots" : null);
        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kernelgateway"), defaults.DataDirectory);
        Assert.Equal(10_000_000L, defaults.WarehouseRows);
    }

    [Theory]
    [InlineData("KG_PORT", "70000")]
    [InlineData("KG_MAX_KERNELS", "0")]
    [InlineData("KG_PRESPAWN_COUNT", "-1")]
    [InlineData("KG_CULL_IDLE_TIMEOUT", "-5")]
    [InlineData("KG_CULL_INTERVAL", "0")]
    public void Out_of_range_values_are_rejected(string name, string value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GatewayOptions.FromEnvironment(n => n == name ? value : null));

    [Fact]
    public void A_port_that_is_not_a_number_is_rejected() =>
        Assert.Throws<FormatException>(() => GatewayOptions.FromEnvironment(n => n == "KG_PORT" ? "eighty" : null));

    [Fact]
    public void A_cull_timeout_that_is_not_a_number_of_seconds_says_which_variable()
    {
        var e = Assert.Throws<FormatException>(() => GatewayOptions.FromEnvironment(n => n == "KG_CULL_IDLE_TIMEOUT" ? "10m" : null));
        Assert.Contains("KG_CULL_IDLE_TIMEOUT", e.Message);
    }
}
