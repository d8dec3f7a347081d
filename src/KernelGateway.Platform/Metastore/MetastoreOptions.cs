using System.Globalization;

namespace KernelGateway.Platform.Metastore;

/// <summary>How the federated metastore caches and how long it waits for each engine.</summary>
public sealed record MetastoreOptions
{
    /// <summary>How long a listing or description stays cached per connection before the next lookup asks the engine again. Default 5 minutes.</summary>
    public TimeSpan CacheTimeToLive { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one engine may take to answer one lookup; past it the lookup gives a <see cref="MetastoreErrorKind.TimedOut"/> error. Default 10 seconds.</summary>
    public TimeSpan ProviderTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most names (schemas, tables, columns) one connection lists for search; past it the search says it is incomplete. Default 200,000.</summary>
    public int SearchNameLimit { get; init; } = 200_000;

    /// <summary>The clock for cache expiry and timeouts. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The options from the environment (or <paramref name="getenv"/>), as the kernel and the gateway read them:
    /// <c>KG_METASTORE_TTL</c> (seconds a lookup stays cached; 0 turns caching off) and <c>KG_METASTORE_TIMEOUT</c>
    /// (seconds one engine may take per lookup). Unset ones keep their defaults.
    /// </summary>
    /// <exception cref="FormatException">A value is not a number of seconds in range; the message names the variable.</exception>
    public static MetastoreOptions FromEnvironment(Func<string, string?>? getenv = null)
    {
        getenv ??= Environment.GetEnvironmentVariable;
        var o = new MetastoreOptions();
        if (Seconds(getenv, "KG_METASTORE_TTL", allowZero: true) is { } ttl) o = o with { CacheTimeToLive = ttl };
        if (Seconds(getenv, "KG_METASTORE_TIMEOUT", allowZero: false) is { } timeout) o = o with { ProviderTimeout = timeout };
        return o;
    }

    private static TimeSpan? Seconds(Func<string, string?> getenv, string name, bool allowZero)
    {
        var text = getenv(name);
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && double.IsFinite(s) && (s > 0 || (allowZero && s == 0)) && s <= 86_400 * 365)
        {
            return TimeSpan.FromSeconds(s);
        }
        throw new FormatException($"{name}={text} is not {(allowZero ? "a number of seconds (0 or more)" : "a positive number of seconds")}");
    }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The time to live is negative, the timeout not positive, or the name limit below 1.</exception>
    public MetastoreOptions Validated()
    {
        if (CacheTimeToLive < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(CacheTimeToLive), CacheTimeToLive, "cannot be negative (zero turns caching off)");
        if (ProviderTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ProviderTimeout), ProviderTimeout, "must be positive");
        if (SearchNameLimit < 1) throw new ArgumentOutOfRangeException(nameof(SearchNameLimit), SearchNameLimit, "must be at least 1");
        ArgumentNullException.ThrowIfNull(TimeProvider);
        return this;
    }
}
