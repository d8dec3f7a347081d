namespace KernelGateway.Platform.Metastore;

/// <summary>
/// An engine client a provider makes on first use (so a bad connection entry fails that lookup, not the listing)
/// and the metastore disposes when it is done with the provider (a Spark session released, a Trino client closed).
/// </summary>
internal sealed class OwnedClient<T>(Func<T> make) : IAsyncDisposable where T : class
{
    private readonly Lazy<T> _client = new(make);

    public T Value => _client.Value;

    public async ValueTask DisposeAsync()
    {
        if (!_client.IsValueCreated) return;
        switch (_client.Value)
        {
            case IAsyncDisposable a: await a.DisposeAsync().ConfigureAwait(false); break;
            case IDisposable d: d.Dispose(); break;
        }
    }
}
