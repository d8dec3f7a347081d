namespace KernelGateway.Jobs.Store;

/// <summary>Opens the store a configuration names (<c>KG_SCHEDULER_STORE</c>).</summary>
public static class JobStores
{
    /// <summary>
    /// The SQLite store at <c>{dataDirectory}/state.db</c> when <paramref name="spec"/> is empty; else PostgreSQL, from a
    /// <c>postgres://user:password@host:port/database</c> URL or an Npgsql connection string (<c>Host=...;...</c>).
    /// </summary>
    /// <exception cref="FormatException">The URL cannot be read.</exception>
    public static IJobStore Open(string dataDirectory, string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) return new SqliteJobStore(Path.Combine(dataDirectory, "state.db"));
        return new PostgresJobStore(spec.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            ? FromUrl(spec) : spec);
    }

    private static string FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new FormatException("KG_SCHEDULER_STORE: not a postgres://user:password@host:port/database URL");
        var builder = new Npgsql.NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port };
        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length > 0) builder.Database = database;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        return builder.ConnectionString;
    }
}
