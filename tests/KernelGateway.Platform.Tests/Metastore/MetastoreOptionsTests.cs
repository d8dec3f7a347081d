using KernelGateway.Platform.Metastore;

namespace KernelGateway.Platform.Tests.Metastore;

public sealed class MetastoreOptionsTests
{
    private static MetastoreOptions Read(params (string Name, string Value)[] env) =>
        MetastoreOptions.FromEnvironment(name => env.FirstOrDefault(e => e.Name == name).Value);

    [Fact]
    public void Unset_variables_keep_the_defaults_and_set_ones_are_seconds()
    {
        var defaults = Read();
        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10)), (defaults.CacheTimeToLive, defaults.ProviderTimeout));
        var set = Read(("KG_METASTORE_TTL", "0"), ("KG_METASTORE_TIMEOUT", "2.5"));
        Assert.Equal((TimeSpan.Zero, TimeSpan.FromSeconds(2.5)), (set.CacheTimeToLive, set.ProviderTimeout));
    }

    [Theory]
    [InlineData("KG_METASTORE_TTL", "-1")]
    [InlineData("KG_METASTORE_TTL", "five")]
    [InlineData("KG_METASTORE_TIMEOUT", "0")]
    [InlineData("KG_METASTORE_TIMEOUT", "NaN")]
    public void A_bad_value_is_refused_naming_the_variable(string name, string value)
    {
        var e = Assert.Throws<FormatException>(() => Read((name, value)));
        Assert.StartsWith($"{name}={value} is not", e.Message);
    }
}
