using System.Threading.Channels;
using KernelGateway.Kernel.Comms;
using KernelGateway.Kernel.Engine;
using KernelGateway.Kernel.Magics;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Zmq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KernelGateway.Kernel.Routing;

/// <summary>
/// Serves the kernel's requests: one loop for shell and one for control (so control is answered while a cell
/// runs), busy/idle around each request, each request its own error boundary, and a table from msg_type to the
/// handler of its family (execute, introspection, history, comms, the kernel's own requests).
/// </summary>
public sealed class KernelRouter : IAsyncDisposable
{
    private readonly KernelTransport _transport;
    private readonly ILogger _log;
    private readonly MessageSender _sender;
    private readonly RunningCell _cell = new();
    private readonly EngineStartup _startup;
    private readonly ShellQueue _shell;
    private readonly HistoryHandler _history;
    private readonly ControlHandler _control;
    private readonly CommHandler _comms;
    private readonly Dictionary<string, RequestHandler> _handlers;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TaskCompletionSource<bool> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a router over a bound transport and an engine.</summary>
    public KernelRouter(KernelTransport transport, ILanguageEngine engine, KernelOptions? options = null, MagicRegistry? magics = null, ILogger? log = null)
    {
        options ??= new KernelOptions();
        _transport = transport;
        _log = log ?? NullLogger.Instance;
        _sender = new MessageSender(transport, Guid.NewGuid().ToString());
        _transport.WelcomeSession = Session;
        _startup = new EngineStartup(engine);
        _shell = new ShellQueue(transport.Shell);
        _history = new HistoryHandler(_sender, options, _log);
        _control = new ControlHandler(engine, transport.Connection, _cell, _sender);
        _comms = new CommHandler(_sender, _cell);
        var runner = new CellRunner(magics ?? MagicRegistry.CreateDefault(), engine);
        Magics = runner.Registry;
        var stdin = new StdinHandler(transport, _sender, _cell);
        var execute = new ExecuteHandler(engine, runner, _startup, _cell, _shell, _history, stdin, _sender, options);
        var introspection = new IntrospectionHandler(engine, Magics, _startup, _sender);
        _handlers = new()
        {
            [MessageTypes.KernelInfoRequest] = _control.KernelInfoAsync,
            [MessageTypes.ConnectRequest] = _control.ConnectAsync,
            [MessageTypes.InterruptRequest] = _control.InterruptAsync,
            [MessageTypes.ShutdownRequest] = _control.ShutdownAsync,
            [MessageTypes.ExecuteRequest] = execute.ExecuteAsync,
            [MessageTypes.CompleteRequest] = introspection.CompleteAsync,
            [MessageTypes.InspectRequest] = introspection.InspectAsync,
            [MessageTypes.IsCompleteRequest] = introspection.IsCompleteAsync,
            [MessageTypes.HistoryRequest] = _history.HistoryAsync,
            [MessageTypes.CommInfoRequest] = _comms.InfoAsync,
            [MessageTypes.CommOpen] = _comms.MessageAsync,
            [MessageTypes.CommMsg] = _comms.MessageAsync,
            [MessageTypes.CommClose] = _comms.MessageAsync,
        };
    }

    /// <summary>The kernel's session id (new for every process).</summary>
    public string Session => _sender.Session;

    /// <summary>The comm registry.</summary>
    public CommManager Comms => _comms.Comms;

    /// <summary>The magics.</summary>
    public MagicRegistry Magics { get; }

    /// <summary>The implementation name and version reported in kernel_info_reply.</summary>
    public (string Name, string Version) Implementation { get => _control.Implementation; init => _control.Implementation = value; }

    /// <summary>The banner reported in kernel_info_reply.</summary>
    public string Banner { get => _control.Banner; init => _control.Banner = value; }

    /// <summary>Help links reported in kernel_info_reply.</summary>
    public List<HelpLink> HelpLinks { get => _control.HelpLinks; init => _control.HelpLinks = value; }

    /// <summary>The execute request being run now, for code that needs its parent (comms, displays).</summary>
    public JupyterMessage? CurrentParent => _cell.Parent;

    /// <summary>The execution sink of the running cell, if any.</summary>
    public IExecutionSink? CurrentSink => _cell.Sink;

    /// <summary>Completes when a shutdown_request has been answered.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Interrupts the running cell, if any.</summary>
    public void Interrupt() => _cell.Interrupt();

    /// <summary>
    /// Starts serving: publishes <c>starting</c>, starts the engine in the background (kernel_info is answered
    /// at once; other requests wait for it), and runs the shell and control loops until shutdown.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var link = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        _sender.Status(null, "starting");
        _startup.Start(link.Token);
        _history.Open(link.Token);
        var shell = Task.Run(() => ServeAsync(KernelChannel.Shell, _shell.ReadAsync, link.Token), link.Token);
        var control = Task.Run(() => ServeAsync(KernelChannel.Control, _transport.Control.ReadAsync, link.Token), link.Token);
        try
        {
            await Task.WhenAny(shell, control, _stopped.Task).ConfigureAwait(false);
            link.Cancel();
            await Task.WhenAll(shell.ContinueWith(_ => { }, TaskScheduler.Default), control.ContinueWith(_ => { }, TaskScheduler.Default)).ConfigureAwait(false);
        }
        finally
        {
            _stopped.TrySetResult(false);
        }
    }

    private async Task ServeAsync(KernelChannel channel, Func<CancellationToken, ValueTask<JupyterMessage>> read, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            JupyterMessage message;
            try { message = await read(cancellationToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
            catch (ChannelClosedException) { break; }
            await HandleAsync(channel, message, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(KernelChannel channel, JupyterMessage request, CancellationToken cancellationToken)
    {
        var type = request.MessageType;
        _log.LogDebug("{Channel} {MsgType}", channel.ToWireName(), type);
        _sender.Status(request, "busy");
        try
        {
            // execute_request is served on shell only: on control it would run beside the cell on shell.
            if (type == MessageTypes.ExecuteRequest && channel != KernelChannel.Shell || !_handlers.TryGetValue(type, out var handle))
            {
                _log.LogWarning("unsupported request {MsgType} on {Channel}", type, channel.ToWireName());
                if (type.EndsWith("_request", StringComparison.Ordinal))
                    _sender.ReplyError(channel, request, "UnsupportedRequest", $"{type} is not supported by this kernel", []);
            }
            else await handle(channel, request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _log.LogError("{MsgType} failed: {Error}", type, e.GetType().Name);
            if (type.EndsWith("_request", StringComparison.Ordinal))
                _sender.ReplyError(channel, request, e.GetType().Name, e.Message, [e.ToString()]);
        }
        _sender.Status(request, "idle");
        if (type == MessageTypes.ShutdownRequest && _control.ShutdownAnswered is { } restart)
        {
            _stopped.TrySetResult(restart);
            _shutdown.Cancel();
        }
    }

    /// <summary>Waits for pending history writes and closes the history store.</summary>
    public ValueTask DisposeAsync()
    {
        _history.Dispose();
        _shutdown.Dispose();
        return ValueTask.CompletedTask;
    }
}
