using KernelGateway.Kernel.Engine;
using KernelGateway.Kernel.History;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Kernel.Routing;

/// <summary>
/// history_request, and the recording of executed cells: kept in the data directory's history file (in memory
/// when it cannot be opened or persisting is off), written in order off the shell loop.
/// </summary>
internal sealed class HistoryHandler : IDisposable
{
    private readonly MessageSender _sender;
    private readonly ILogger _log;
    private readonly Lazy<HistoryStore> _store;
    private Task _writes = Task.CompletedTask;

    public HistoryHandler(MessageSender sender, KernelOptions options, ILogger log)
    {
        _sender = sender;
        _log = log;
        _store = new Lazy<HistoryStore>(() =>
        {
            try
            {
                return new HistoryStore(options.PersistHistory ? Path.Combine(options.DataDirectory, "history.sqlite") : null);
            }
            catch (Exception e)
            {
                _log.LogWarning("history file unavailable ({Error}); keeping history in memory", e.Message);
                return new HistoryStore(null);
            }
        });
    }

    /// <summary>Opens the store in the background, so the first history_request need not.</summary>
    public void Open(CancellationToken cancellationToken) => _ = Task.Run(() => _store.Value, cancellationToken);

    /// <summary>Records an executed cell; history_request waits for the writes queued before it.</summary>
    public void Record(int line, string code, ExecutionOutcome outcome)
    {
        var output = outcome.Result?.Data["text/plain"]?.GetValue<string>();
        _writes = _writes.ContinueWith(_ =>
        {
            try { _store.Value.Append(line, code, output); }
            catch (Exception e) { _log.LogWarning("history write failed: {Error}", e.Message); }
        }, TaskScheduler.Default);
    }

    /// <summary>history_request: tail, range or search.</summary>
    public Task HistoryAsync(KernelChannel channel, JupyterMessage request, CancellationToken cancellationToken)
    {
        var content = request.ContentAs(ProtocolJsonContext.Default.HistoryRequest);
        _writes.Wait(cancellationToken);
        var store = _store.Value;
        var entries = content.HistAccessType switch
        {
            "tail" => store.Tail(content.N ?? 10, content.Output),
            "range" => store.Range(content.Session, content.Start, content.Stop, content.Output),
            "search" => store.Search(content.Pattern ?? "*", content.N, content.Unique, content.Output),
            _ => [],
        };
        _sender.Reply(channel, request, MessageTypes.HistoryReply, new HistoryReply(entries), ProtocolJsonContext.Default.HistoryReply);
        return Task.CompletedTask;
    }

    /// <summary>Waits (a few seconds at most) for queued writes, then closes the store.</summary>
    public void Dispose()
    {
        try { _writes.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { }
        if (_store.IsValueCreated) _store.Value.Dispose();
    }
}
