using System.Text;
using KernelGateway.Kernel.Engine;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;

namespace KernelGateway.Kernel.Routing;

/// <summary>
/// The sink of one execute_request. Stream text is batched: it is sent when the stream changes, when a
/// batch is full, when another output must follow it, or at the flush interval — so a loop printing
/// 100k lines sends a handful of messages, in order with everything else.
/// </summary>
internal sealed class ExecutionSink : IExecutionSink, IDisposable
{
    private readonly MessageSender _sender;
    private readonly StdinHandler _stdin;
    private readonly JupyterMessage _request;
    private readonly bool _silent;
    private readonly bool _allowStdin;
    private readonly int _batch;
    private readonly StringBuilder _buffer = new();
    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private string? _bufferedName;
    private bool _timerArmed;
    private bool _disposed;

    public ExecutionSink(MessageSender sender, StdinHandler stdin, JupyterMessage request, bool silent, bool allowStdin, KernelOptions options)
    {
        _sender = sender;
        _stdin = stdin;
        _request = request;
        _silent = silent;
        _allowStdin = allowStdin;
        _batch = options.StreamBatchCharacters;
        Interval = options.StreamFlushInterval;
        _timer = new Timer(_ => Flush(), null, Timeout.Infinite, Timeout.Infinite);
    }

    private TimeSpan Interval { get; }

    public JupyterMessage Request => _request;

    public void Stream(string name, string text)
    {
        if (_silent || text.Length == 0) return;
        lock (_lock)
        {
            if (_disposed) { _sender.Publish(_request, MessageTypes.Stream, new StreamOutput(name, text), ProtocolJsonContext.Default.StreamOutput); return; }
            if (_bufferedName is not null && _bufferedName != name) FlushLocked();
            _bufferedName = name;
            _buffer.Append(text);
            if (_buffer.Length >= _batch) FlushLocked();
            else if (!_timerArmed)
            {
                _timerArmed = true;
                _timer.Change(Interval, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Display(MimeBundle bundle, string? displayId, bool update)
    {
        if (_silent) return;
        Flush();
        var transient = displayId is null ? null : new System.Text.Json.Nodes.JsonObject { ["display_id"] = displayId };
        if (update && transient is null) return; // update_display_data must name a display
        _sender.Publish(_request, update ? MessageTypes.UpdateDisplayData : MessageTypes.DisplayData,
            new DisplayData(bundle.Data, bundle.Metadata) { Transient = transient }, ProtocolJsonContext.Default.DisplayData);
    }

    public void ClearOutput(bool wait)
    {
        if (_silent) return;
        Flush();
        _sender.Publish(_request, MessageTypes.ClearOutput, new ClearOutput(wait), ProtocolJsonContext.Default.ClearOutput);
    }

    public Task<string> InputAsync(string prompt, bool password, CancellationToken cancellationToken)
    {
        if (!_allowStdin) throw new StdinNotAllowedException();
        Flush();
        return _stdin.RequestInputAsync(_request, prompt, password, cancellationToken);
    }

    /// <summary>Sends buffered stream text now.</summary>
    public void Flush()
    {
        lock (_lock) FlushLocked();
    }

    private void FlushLocked()
    {
        _timerArmed = false;
        if (_buffer.Length == 0 || _bufferedName is null) return;
        var text = _buffer.ToString();
        _buffer.Clear();
        _sender.Publish(_request, MessageTypes.Stream, new StreamOutput(_bufferedName, text), ProtocolJsonContext.Default.StreamOutput);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            FlushLocked();
            _disposed = true;
        }
        _timer.Dispose();
    }
}
