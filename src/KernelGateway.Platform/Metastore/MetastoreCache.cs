using System.Collections.Concurrent;

namespace KernelGateway.Platform.Metastore;

/// <summary>
/// One connection's cached answers, by level and name, each kept for a time to live from when its lookup started.
/// Callers asking for the same key while a lookup runs share it; a failed lookup is not kept, so the next call asks
/// again.
/// </summary>
internal sealed class MetastoreCache(TimeProvider time, TimeSpan timeToLive)
{
    private sealed record Entry(Task<object> Value, DateTimeOffset Started);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The cached answer for <paramref name="key"/>, or a new one from <paramref name="load"/> when there is none or it expired.</summary>
    public async Task<T> GetAsync<T>(string key, Func<Task<T>> load, CancellationToken cancellationToken) where T : class
    {
        while (true)
        {
            var now = time.GetUtcNow();
            _entries.TryGetValue(key, out var current);
            if (current is not null && (!current.Value.IsCompleted || (current.Value.IsCompletedSuccessfully && now - current.Started < timeToLive)))
                return (T)await current.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            var loading = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
            var entry = new Entry(loading.Task, now);
            var won = current is null ? _entries.TryAdd(key, entry) : _entries.TryUpdate(key, entry, current);
            if (!won) continue; // another caller started a lookup first: share it
            _ = Complete(key, entry, loading, load);
            return (T)await loading.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task Complete<T>(string key, Entry entry, TaskCompletionSource<object> loading, Func<Task<T>> load) where T : class
    {
        try
        {
            loading.SetResult(await load().ConfigureAwait(false));
        }
        catch (Exception e)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            loading.SetException(e);
            _ = loading.Task.Exception; // observed here: a caller that gave up waiting must not leave it unobserved
        }
    }

    /// <summary>Forgets every answer; lookups under way finish for their callers but are not kept.</summary>
    public void Clear() => _entries.Clear();
}
