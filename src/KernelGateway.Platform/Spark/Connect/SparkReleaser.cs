namespace KernelGateway.Platform.Spark.Connect;

/// <summary>
/// Releases the responses of a reattachable operation the server keeps for reattaching, as Spark's clients do: after
/// responses are read, <c>ReleaseExecute(release_until)</c> in the background — one call at a time, the latest
/// response id when it starts, so a fast stream costs few calls — and <c>ReleaseExecute(release_all)</c> once at the
/// end, after any call in flight. Failures are logged by <see cref="SparkRpc"/>, never thrown.
/// </summary>
internal sealed class SparkReleaser(SparkRpc rpc, string operationId)
{
    private readonly Lock _lock = new();
    private string? _pending;
    private bool _looping;
    private Task _running = Task.CompletedTask;
    private Task? _all;

    /// <summary>Whether the whole operation has been released (or is being).</summary>
    public bool ReleasedAll { get { lock (_lock) return _all is not null; } }

    /// <summary>Completes when no release is in flight.</summary>
    public Task Idle { get { lock (_lock) return _all ?? _running; } }

    /// <summary>Asks for the responses up to and including <paramref name="responseId"/> to be released.</summary>
    public void Until(string responseId)
    {
        lock (_lock)
        {
            if (_all is not null) return;
            _pending = responseId;
            if (_looping) return;
            _looping = true;
            _running = Task.Run(LoopAsync);
        }
    }

    /// <summary>Releases the whole operation (once; later calls return the same task).</summary>
    public Task AllAsync()
    {
        lock (_lock)
        {
            if (_all is not null) return _all;
            _pending = null;
            var previous = _running;
            return _all = Task.Run(async () =>
            {
                await previous.ConfigureAwait(false);
                await rpc.ReleaseExecuteQuietlyAsync(operationId, null).ConfigureAwait(false);
            });
        }
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            string? responseId;
            lock (_lock)
            {
                responseId = _pending;
                _pending = null;
                if (responseId is null || _all is not null)
                {
                    _looping = false;
                    return;
                }
            }
            await rpc.ReleaseExecuteQuietlyAsync(operationId, responseId).ConfigureAwait(false);
        }
    }
}
