using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Platform.Tests.Connections;

public sealed class ConnectionRegistryTests
{
    private static string DataDirectory(string? connectionsJson)
    {
        var dir = Path.Combine(Path.GetTempPath(), "kg-conn-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        if (connectionsJson is not null) File.WriteAllText(Path.Combine(dir, "connections.json"), connectionsJson);
        return dir;
    }

    [Fact]
    public void Connections_come_from_the_file_and_the_environment_and_secrets_are_redacted()
    {
        var dir = DataDirectory("""
            [ { "name": "analytics", "kind": "postgres", "connection_string": "Host=db;Username=ana;Password=s3cret;Database=a" } ]
            """);
        var registry = ConnectionRegistry.Load(dir, name => name == "KG_CONNECTIONS"
            ? """[ { "name": "scratch", "kind": "duckdb", "connection_string": "DataSource=:memory:" } ]""" : null);
        Assert.Equal(["analytics", "scratch", "warehouse"], registry.All.Select(c => c.Name));
        var analytics = registry.Get("ANALYTICS");
        Assert.DoesNotContain("s3cret", analytics.ToString());
        Assert.DoesNotContain("s3cret", analytics.Redacted);
        Assert.Contains("Password=***", analytics.Redacted);
        Assert.Equal("trino://ana:***@host:8080/hive", ConnectionSpec.Redact("trino://ana:pw@host:8080/hive"));
        Assert.Equal("trino://ana@host:8443/hive?access_token=***&source=x", ConnectionSpec.Redact("trino://ana@host:8443/hive?access_token=eyJhbGc&source=x"));
        Assert.Equal("trino://ana@h/hive?extra_credential.s3=***&ssl=true", ConnectionSpec.Redact("trino://ana@h/hive?extra_credential.s3=k3y&ssl=true"));
        Assert.Empty(registry.Problems);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void A_bad_kind_name_or_connection_string_is_refused_when_added()
    {
        var registry = new ConnectionRegistry();
        Assert.Contains("unknown kind 'oracle'", Assert.Throws<ArgumentException>(() => registry.Add(new ConnectionSpec { Name = "x", Kind = "oracle" })).Message);
        Assert.Throws<ArgumentException>(() => registry.Add(new ConnectionSpec { Name = "1bad name", Kind = "duckdb" }));
        Assert.Contains("no user", Assert.Throws<ArgumentException>(() => registry.Add(new ConnectionSpec { Name = "t", Kind = "trino", ConnectionString = "http://host:8080" })).Message);
        Assert.Contains("bad connection string", Assert.Throws<ArgumentException>(() => registry.Add(new ConnectionSpec { Name = "p", Kind = "postgres", ConnectionString = "Host=db;Nonsense Key=1" })).Message);
    }

    [Fact]
    public void Bad_entries_never_stop_the_good_ones_and_using_one_says_what_is_wrong_with_it()
    {
        var dir = DataDirectory("""
            [
              { "name": "good", "kind": "duckdb", "connection_string": "DataSource=:memory:" },
              { "name": "legacy", "kind": "oracle", "connection_string": "x" },
              { "name": "lake", "kind": "trino", "connection_string": "trino://host:8080/hive" },
              { "name": "secure", "kind": "trino", "connection_string": "trino://ana:pw@host:8080/hive" },
              { "kind": "duckdb" },
              42
            ]
            """);
        var registry = ConnectionRegistry.Load(dir, name => name == "KG_CONNECTIONS" ? "[ { not json" : null);
        Assert.Equal(["good", "warehouse"], registry.All.Select(c => c.Name));
        var legacy = Assert.Throws<ConnectionUnusableException>(() => registry.Get("legacy"));
        Assert.Contains("unknown kind 'oracle'", legacy.Message);
        Assert.Contains("connections.json (entry 2)", legacy.Message);
        Assert.Contains("no user", Assert.Throws<ConnectionUnusableException>(() => registry.Get("lake")).Message);
        var secure = Assert.Throws<ConnectionUnusableException>(() => registry.Get("secure"));
        Assert.Contains("only sent over HTTPS", secure.Message);
        Assert.DoesNotContain("pw@", secure.Message);
        var problems = registry.Problems.Select(p => p.ToString()).ToList();
        Assert.Contains(problems, p => p.StartsWith("KG_CONNECTIONS", StringComparison.Ordinal) || p.Contains("from KG_CONNECTIONS: not valid JSON"));
        Assert.Contains(problems, p => p.Contains("entry 5") && p.Contains("not a connection object"));
        Assert.Contains(problems, p => p.Contains("entry 6"));
        Assert.Throws<KeyNotFoundException>(() => registry.Get("nothing"));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void A_later_good_entry_replaces_a_bad_one_of_the_same_name()
    {
        var dir = DataDirectory("""[ { "name": "lake", "kind": "trino", "connection_string": "nonsense" } ]""");
        var registry = ConnectionRegistry.Load(dir, name => name == "KG_CONNECTIONS"
            ? """[ { "name": "lake", "kind": "trino", "connection_string": "trino://ana@host:8080/hive/web" } ]""" : null);
        Assert.Equal("trino", registry.Get("lake").Kind);
        Assert.Empty(registry.Problems);
        Directory.Delete(dir, true);
    }
}

public sealed class TrinoDefaultConnectionTests
{
    private static KernelGateway.Platform.Trino.TrinoConnections With(params (string Name, string Kind)[] entries)
    {
        var registry = new ConnectionRegistry();
        foreach (var (name, kind) in entries) registry.Add(new ConnectionSpec { Name = name, Kind = kind, ConnectionString = $"{kind}://u@h:8080" });
        return new KernelGateway.Platform.Trino.TrinoConnections(registry);
    }

    [Fact]
    public void The_default_is_the_one_named_trino_then_presto_then_the_only_one()
    {
        Assert.Equal("trino", With(("presto", "presto"), ("trino", "trino")).DefaultSpec(null).Name);
        Assert.Equal("presto", With(("presto", "presto"), ("lake", "trino")).DefaultSpec(null).Name);
        Assert.Equal("presto", With(("presto", "presto"), ("trino", "trino")).DefaultSpec("presto").Name);
        Assert.Equal("lake", With(("lake", "trino")).DefaultSpec("trino").Name);
        Assert.Contains("several trino connections (a, b)", Assert.Throws<InvalidOperationException>(() => With(("a", "trino"), ("b", "trino")).DefaultSpec("trino")).Message);
        Assert.Contains("no presto connection", Assert.Throws<InvalidOperationException>(() => With(("lake", "trino")).DefaultSpec("presto")).Message);
    }
}
