using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using KernelGateway.Kernel.Comms;
using KernelGateway.Kernel.Engine;
using KernelGateway.Kernel.History;
using KernelGateway.Kernel.Magics;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Zmq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KernelGateway.Kernel.Routing;

/// <summary>
/// Owns every protocol duty of the kernel: busy/idle around each request, execute_input, execution
/// counting, replies with the request as parent, history, comms, stdin, stop_on_error aborts, interrupt
/// and shutdown. Shell and control are served by two loops, so control (interrupt, kernel_info) is answered
/// while a cell runs. Each inbound message is its own error boundary.
/// </summary>
public sealed class KernelRouter : ICommPublisher, IAsyncDisposable
{
    private readonly KernelTransport _transport;
    private readonly ILanguageEngine _engine;
    private readonly KernelOptions _options;
    private readonly ILogger _log;
    private readonly CellRunner _runner;
    private readonly Queue<JupyterMessage> _deferred = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lazy<HistoryStore> _history;
    private readonly TaskCompletionSource<bool> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _stdinGate = new(1, 1);
    private Task _engineReady = Task.CompletedTask;
    private Task _historyWrites = Task.CompletedTask;
    private int _executionCount;
    private CancellationTokenSource? _running;
    private JupyterMessage? _currentParent;

    /// <summary>Creates a router over a bound transport and an engine.</summary>
    public KernelRouter(KernelTransport transport, ILanguageEngine engine, KernelOptions? options = null, MagicRegistry? magics = null, ILogger? log = null)
    {
        _transport = transport;
        _engine = engine;
        _options = options ?? new KernelOptions();
        _log = log ?? NullLogger.Instance;
        _runner = new CellRunner(magics ?? MagicRegistry.CreateDefault(), engine);
        Comms = new CommManager(this);
        Session = Guid.NewGuid().ToString();
        _transport.WelcomeSession = Session;
        _history = new Lazy<HistoryStore>(() =>
        {
            try
            {
                return new HistoryStore(_options.PersistHistory ? Path.Combine(_options.DataDirectory, "history.sqlite") : null);
            }
            catch (Exception e)
            {
                _log.LogWarning("history file unavailable ({Error}); keeping history in memory", e.Message);
                return new HistoryStore(null);
            }
        });
    }

    /// <summary>The kernel's session id (new for every process).</summary>
    public string Session { get; }

    /// <summary>The comm registry.</summary>
    public CommManager Comms { get; }

    /// <summary>The magics.</summary>
    public MagicRegistry Magics => _runner.Registry;

    /// <summary>The implementation name and version reported in kernel_info_reply.</summary>
    public (string Name, string Version) Implementation { get; init; } = ("kernelgateway", typeof(KernelRouter).Assembly.GetName().Version?.ToString(3) ?? "0.1.0");

    /// <summary>The banner reported in kernel_info_reply.</summary>
    public string Banner { get; init; } = "C# (KernelGateway) on .NET Interactive";

    /// <summary>Help links reported in kernel_info_reply.</summary>
    public List<HelpLink> HelpLinks { get; init; } = [];

    /// <summary>The execute request being run now, for code that needs its parent (comms, displays).</summary>
    public JupyterMessage? CurrentParent => Volatile.Read(ref _currentParent);

    /// <summary>The execution sink of the running cell, if any.</summary>
    public IExecutionSink? CurrentSink { get; private set; }

    /// <summary>Completes when a shutdown_request has been answered.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>
    /// Starts serving: publishes <c>starting</c>, starts the engine in the background (kernel_info is answered
    /// at once; other requests wait for it), and runs the shell and control loops until shutdown.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var link = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        PublishStatus(null, "starting");
        _engineReady = Task.Run(() => _engine.StartAsync(link.Token), link.Token);
        _ = Task.Run(() => _history.Value, link.Token);
        var shell = Task.Run(() => ShellLoopAsync(link.Token), link.Token);
        var control = Task.Run(() => ControlLoopAsync(link.Token), link.Token);
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

    // ---------------------------------------------------------------- loops

    private async Task ShellLoopAsync(CancellationToken cancellationToken)
    {
        var reader = _transport.Shell;
        while (!cancellationToken.IsCancellationRequested)
        {
            JupyterMessage message;
            if (_deferred.Count > 0) message = _deferred.Dequeue();
            else
            {
                try { message = await reader.ReadAsync(cancellationToken).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
                catch (System.Threading.Channels.ChannelClosedException) { break; }
            }
            await HandleAsync(KernelChannel.Shell, message, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ControlLoopAsync(CancellationToken cancellationToken)
    {
        var reader = _transport.Control;
        while (!cancellationToken.IsCancellationRequested)
        {
            JupyterMessage message;
            try { message = await reader.ReadAsync(cancellationToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
            catch (System.Threading.Channels.ChannelClosedException) { break; }
            await HandleAsync(KernelChannel.Control, message, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(KernelChannel channel, JupyterMessage request, CancellationToken cancellationToken)
    {
        var type = request.MessageType;
        _log.LogDebug("{Channel} {MsgType}", channel.ToWireName(), type);
        PublishStatus(request, "busy");
        try
        {
            switch (type)
            {
                case MessageTypes.KernelInfoRequest:
                    Reply(channel, request, MessageTypes.KernelInfoReply, KernelInfo(), ProtocolJsonContext.Default.KernelInfoReply);
                    break;
                case MessageTypes.InterruptRequest:
                    Interrupt();
                    Reply(channel, request, MessageTypes.InterruptReply, new StatusReply(), ProtocolJsonContext.Default.StatusReply);
                    break;
                case MessageTypes.ShutdownRequest:
                    var restart = request.Content.TryGetProperty("restart", out var r) && r.ValueKind == JsonValueKind.True;
                    Interrupt();
                    Reply(channel, request, MessageTypes.ShutdownReply, new ShutdownContent(restart, "ok"), ProtocolJsonContext.Default.ShutdownContent);
                    PublishStatus(request, "idle");
                    _stopped.TrySetResult(restart);
                    _shutdown.Cancel();
                    return;
                case MessageTypes.ExecuteRequest when channel == KernelChannel.Shell:
                    await ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
                    break;
                case MessageTypes.CompleteRequest:
                    await WaitForEngineAsync(cancellationToken).ConfigureAwait(false);
                    Reply(channel, request, MessageTypes.CompleteReply, await CompleteAsync(request, cancellationToken).ConfigureAwait(false), ProtocolJsonContext.Default.CompleteReply);
                    break;
                case MessageTypes.InspectRequest:
                    await WaitForEngineAsync(cancellationToken).ConfigureAwait(false);
                    Reply(channel, request, MessageTypes.InspectReply, await InspectAsync(request, cancellationToken).ConfigureAwait(false), ProtocolJsonContext.Default.InspectReply);
                    break;
                case MessageTypes.IsCompleteRequest:
                    var code = request.ContentAs(ProtocolJsonContext.Default.IsCompleteRequest).Code;
                    Reply(channel, request, MessageTypes.IsCompleteReply, IsComplete(code), ProtocolJsonContext.Default.IsCompleteReply);
                    break;
                case MessageTypes.HistoryRequest:
                    Reply(channel, request, MessageTypes.HistoryReply, History(request.ContentAs(ProtocolJsonContext.Default.HistoryRequest)), ProtocolJsonContext.Default.HistoryReply);
                    break;
                case MessageTypes.CommInfoRequest:
                    var target = request.Content.TryGetProperty("target_name", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                    var comms = Comms.Open.Values.Where(c => target is null || c.TargetName == target)
                        .ToDictionary(c => c.Id, c => new CommInfo(c.TargetName));
                    Reply(channel, request, MessageTypes.CommInfoReply, new CommInfoReply(comms), ProtocolJsonContext.Default.CommInfoReply);
                    break;
                case MessageTypes.CommOpen:
                case MessageTypes.CommMsg:
                case MessageTypes.CommClose:
                    HandleComm(request);
                    break;
                case MessageTypes.ConnectRequest:
                    var info = _transport.Connection;
                    var connect = new JsonObject { ["shell_port"] = info.ShellPort, ["iopub_port"] = info.IOPubPort, ["stdin_port"] = info.StdinPort, ["hb_port"] = info.HeartbeatPort, ["control_port"] = info.ControlPort, ["status"] = "ok" };
                    Reply(channel, request, MessageTypes.ConnectReply, connect, ProtocolJsonContext.Default.JsonObject);
                    break;
                default:
                    _log.LogWarning("unsupported request {MsgType} on {Channel}", type, channel.ToWireName());
                    if (type.EndsWith("_request", StringComparison.Ordinal))
                    {
                        Reply(channel, request, MessageTypes.ReplyFor(type),
                            new ErrorReply("UnsupportedRequest", $"{type} is not supported by this kernel", []), ProtocolJsonContext.Default.ErrorReply);
                    }
                    break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _log.LogError("{MsgType} failed: {Error}", type, e.GetType().Name);
            if (type.EndsWith("_request", StringComparison.Ordinal))
            {
                Reply(channel, request, MessageTypes.ReplyFor(type),
                    new ErrorReply(e.GetType().Name, e.Message, [e.ToString()]), ProtocolJsonContext.Default.ErrorReply);
            }
        }
        PublishStatus(request, "idle");
    }

    // ---------------------------------------------------------------- execute

    private async Task ExecuteAsync(JupyterMessage request, CancellationToken cancellationToken)
    {
        ExecuteRequest content;
        try
        {
            content = request.ContentAs(ProtocolJsonContext.Default.ExecuteRequest);
        }
        catch (JsonException e)
        {
            Reply(KernelChannel.Shell, request, MessageTypes.ExecuteReply,
                new ExecuteReply { Status = "error", ExecutionCount = _executionCount, Ename = "BadRequest", Evalue = e.Message, Traceback = [] },
                ProtocolJsonContext.Default.ExecuteReply);
            return;
        }
        var silent = content.Silent;
        var store = content.StoreHistory && !silent;
        if (store) _executionCount++;
        var count = _executionCount;
        if (!silent) Publish(request, MessageTypes.ExecuteInput, new ExecuteInput(content.Code, count), ProtocolJsonContext.Default.ExecuteInput);

        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sink = new ExecutionSink(this, request, silent, content.AllowStdin, _options);
        ExecutionOutcome outcome;
        // Interruptible from here on, including while the engine is still warming up.
        Volatile.Write(ref _running, running);
        Volatile.Write(ref _currentParent, request);
        CurrentSink = sink;
        try
        {
            await WaitForEngineAsync(running.Token).ConfigureAwait(false);
            outcome = await _runner.RunAsync(content.Code, sink, running.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (running.IsCancellationRequested)
        {
            outcome = Interrupted();
        }
        catch (Exception e)
        {
            outcome = ExecutionOutcome.Failed(e.GetType().Name, e.Message, e.ToString().Split('\n'));
        }
        finally
        {
            Volatile.Write(ref _running, null);
            CurrentSink = null;
            sink.Dispose();
        }
        if (running.IsCancellationRequested && outcome.Succeeded) outcome = Interrupted();
        Volatile.Write(ref _currentParent, null);

        if (outcome.Succeeded)
        {
            if (outcome.Result is { } result && !silent)
                Publish(request, MessageTypes.ExecuteResult, new ExecuteResult(count, result.Data, result.Metadata), ProtocolJsonContext.Default.ExecuteResult);
            var expressions = await UserExpressionsAsync(content.UserExpressions, cancellationToken).ConfigureAwait(false);
            Reply(KernelChannel.Shell, request, MessageTypes.ExecuteReply,
                new ExecuteReply { Status = "ok", ExecutionCount = count, Payload = new JsonArray(outcome.Payload.Select(p => (JsonNode)p.DeepClone()).ToArray()), UserExpressions = expressions },
                ProtocolJsonContext.Default.ExecuteReply);
        }
        else
        {
            var error = outcome.Error!;
            if (!silent) Publish(request, MessageTypes.Error, error, ProtocolJsonContext.Default.ErrorContent);
            Reply(KernelChannel.Shell, request, MessageTypes.ExecuteReply,
                new ExecuteReply { Status = "error", ExecutionCount = count, Ename = error.Ename, Evalue = error.Evalue, Traceback = error.Traceback },
                ProtocolJsonContext.Default.ExecuteReply);
        }
        if (store) RecordHistory(count, content.Code, outcome);
        if (!outcome.Succeeded && content.StopOnError) AbortQueued();
    }

    private static ExecutionOutcome Interrupted() =>
        ExecutionOutcome.Failed(nameof(OperationCanceledException), "The execution was interrupted.",
            ["OperationCanceledException: The execution was interrupted."]);

    private void RecordHistory(int line, string code, ExecutionOutcome outcome)
    {
        var output = outcome.Result?.Data["text/plain"]?.GetValue<string>();
        // Writes run in order off the shell loop; history_request waits for them.
        _historyWrites = _historyWrites.ContinueWith(_ =>
        {
            try { _history.Value.Append(line, code, output); }
            catch (Exception e) { _log.LogWarning("history write failed: {Error}", e.Message); }
        }, TaskScheduler.Default);
    }

    /// <summary>After an error with stop_on_error, every execute_request already queued is answered "aborted".</summary>
    private void AbortQueued()
    {
        var keep = new List<JupyterMessage>();
        while (_deferred.TryDequeue(out var m)) keep.Add(m);
        while (_transport.Shell.TryRead(out var m)) keep.Add(m);
        foreach (var m in keep)
        {
            if (m.MessageType != MessageTypes.ExecuteRequest)
            {
                _deferred.Enqueue(m);
                continue;
            }
            PublishStatus(m, "busy");
            Reply(KernelChannel.Shell, m, MessageTypes.ExecuteReply,
                new ExecuteReply { Status = "aborted", ExecutionCount = _executionCount }, ProtocolJsonContext.Default.ExecuteReply);
            PublishStatus(m, "idle");
        }
    }

    private async Task<JsonObject> UserExpressionsAsync(Dictionary<string, string>? expressions, CancellationToken cancellationToken)
    {
        var result = new JsonObject();
        if (expressions is null || expressions.Count == 0) return result;
        foreach (var (name, expression) in expressions)
        {
            ExecutionOutcome o;
            try { o = await _engine.EvaluateAsync(expression, cancellationToken).ConfigureAwait(false); }
            catch (Exception e) { o = ExecutionOutcome.Failed(e.GetType().Name, e.Message, []); }
            result[name] = o.Succeeded
                ? new JsonObject { ["status"] = "ok", ["data"] = (o.Result ?? MimeBundle.Text("")).Data.DeepClone(), ["metadata"] = new JsonObject() }
                : new JsonObject { ["status"] = "error", ["ename"] = o.Error!.Ename, ["evalue"] = o.Error.Evalue, ["traceback"] = new JsonArray(o.Error.Traceback.Select(l => (JsonNode)l!).ToArray()) };
        }
        return result;
    }

    /// <summary>Interrupts the running cell, if any.</summary>
    public void Interrupt()
    {
        try { Volatile.Read(ref _running)?.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    private async Task WaitForEngineAsync(CancellationToken cancellationToken) =>
        await _engineReady.WaitAsync(cancellationToken).ConfigureAwait(false);

    // ---------------------------------------------------------------- stdin

    internal async Task<string> RequestInputAsync(JupyterMessage parent, string prompt, bool password, CancellationToken cancellationToken)
    {
        var token = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Volatile.Read(ref _running)?.Token ?? CancellationToken.None);
        await _stdinGate.WaitAsync(token.Token).ConfigureAwait(false);
        try
        {
            while (_transport.Stdin.TryRead(out _)) { } // stale replies
            var message = JupyterMessage.Create(NewHeader(MessageTypes.InputRequest), parent.HeaderJson,
                    JsonSerializer.SerializeToElement(new InputRequest(prompt, password), ProtocolJsonContext.Default.InputRequest))
                .WithIdentities(parent.Identities);
            _transport.Send(KernelChannel.Stdin, message);
            while (true)
            {
                var reply = await _transport.Stdin.ReadAsync(token.Token).ConfigureAwait(false);
                if (reply.MessageType != MessageTypes.InputReply) continue;
                return reply.Content.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            }
        }
        finally
        {
            _stdinGate.Release();
            token.Dispose();
        }
    }

    // ---------------------------------------------------------------- introspection

    private KernelInfoReply KernelInfo() => new()
    {
        Implementation = Implementation.Name,
        ImplementationVersion = Implementation.Version,
        LanguageInfo = _engine.LanguageInfo,
        Banner = Banner,
        HelpLinks = HelpLinks,
        SupportedFeatures = [],
    };

    private async Task<CompleteReply> CompleteAsync(JupyterMessage request, CancellationToken cancellationToken)
    {
        var content = request.ContentAs(ProtocolJsonContext.Default.CompleteRequest);
        var code = content.Code;
        var offset = CodePoints.ToUtf16Index(code, content.CursorPos);
        var magic = MagicCompletion(code, offset);
        var result = magic ?? await _engine.CompleteAsync(code, offset, cancellationToken).ConfigureAwait(false);
        var start = CodePoints.FromUtf16Index(code, result.Start);
        var end = CodePoints.FromUtf16Index(code, result.End);
        var types = new JsonArray(result.Matches.Select(m => (JsonNode)new JsonObject
        {
            ["start"] = start,
            ["end"] = end,
            ["text"] = m.Text,
            ["type"] = m.Kind,
            ["signature"] = m.Signature ?? "",
        }).ToArray());
        return new CompleteReply(result.Matches.Select(m => m.Text).ToList(), start, end, new JsonObject { ["_jupyter_types_experimental"] = types });
    }

    private CompletionResult? MagicCompletion(string code, int offset)
    {
        var lineStart = code.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1;
        if (offset < lineStart) lineStart = 0;
        var line = code[lineStart..offset];
        if (!line.StartsWith('%') || line.Contains(' ')) return null;
        var cell = line.StartsWith("%%", StringComparison.Ordinal);
        var prefix = line.TrimStart('%');
        var kind = cell ? MagicKinds.Cell : MagicKinds.Line;
        var names = Magics.All.Where(m => m.Kinds.HasFlag(kind)).Select(m => m.Name)
            .Concat(_engine is IDirectiveProvider d ? d.DirectiveNames : [])
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal);
        var marker = cell ? "%%" : "%";
        return new CompletionResult(names.Select(n => new CompletionMatch(marker + n, "magic")).ToList(), lineStart, offset);
    }

    private async Task<InspectReply> InspectAsync(JupyterMessage request, CancellationToken cancellationToken)
    {
        var content = request.ContentAs(ProtocolJsonContext.Default.InspectRequest);
        var offset = CodePoints.ToUtf16Index(content.Code, content.CursorPos);
        var bundle = await _engine.InspectAsync(content.Code, offset, content.DetailLevel, cancellationToken).ConfigureAwait(false);
        return bundle is null
            ? new InspectReply(false, new JsonObject(), new JsonObject())
            : new InspectReply(true, bundle.Data, bundle.Metadata);
    }

    private IsCompleteReply IsComplete(string code)
    {
        var trimmed = code.TrimStart();
        if (trimmed.StartsWith("%%", StringComparison.Ordinal))
            return code.EndsWith("\n\n", StringComparison.Ordinal) ? new IsCompleteReply("complete") : new IsCompleteReply("incomplete", "");
        if (CellParser.HasMagic(code))
        {
            var rest = string.Join('\n', CellParser.Parse(code).OfType<CellSegment.Code>().Select(c => c.Text));
            return rest.Trim().Length == 0 ? new IsCompleteReply("complete") : _engine.IsComplete(rest);
        }
        return _engine.IsComplete(code);
    }

    private HistoryReply History(HistoryRequest request)
    {
        _historyWrites.Wait();
        var store = _history.Value;
        var entries = request.HistAccessType switch
        {
            "tail" => store.Tail(request.N ?? 10, request.Output),
            "range" => store.Range(request.Session, request.Start, request.Stop, request.Output),
            "search" => store.Search(request.Pattern ?? "*", request.N, request.Unique, request.Output),
            _ => [],
        };
        return new HistoryReply(entries);
    }

    // ---------------------------------------------------------------- comms

    private void HandleComm(JupyterMessage request)
    {
        var previous = Interlocked.Exchange(ref _currentParent, request);
        try
        {
            var content = request.Content;
            var id = content.TryGetProperty("comm_id", out var i) ? i.GetString() ?? "" : "";
            var data = content.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? JsonNode.Parse(d.GetRawText()) as JsonObject : null;
            switch (request.MessageType)
            {
                case MessageTypes.CommOpen:
                    var target = content.TryGetProperty("target_name", out var tn) ? tn.GetString() ?? "" : "";
                    Comms.OnOpenFromFrontend(id, target, data);
                    break;
                case MessageTypes.CommMsg:
                    Comms.OnMessageFromFrontend(id, data);
                    break;
                default:
                    Comms.OnCloseFromFrontend(id, data);
                    break;
            }
        }
        finally
        {
            Volatile.Write(ref _currentParent, previous);
        }
    }

    void ICommPublisher.PublishCommOpen(string commId, string targetName, JsonObject? data) =>
        Publish(CurrentParent, MessageTypes.CommOpen, new CommOpen(commId, targetName, data ?? []), ProtocolJsonContext.Default.CommOpen);

    void ICommPublisher.PublishCommMsg(string commId, JsonObject? data) =>
        Publish(CurrentParent, MessageTypes.CommMsg, new CommMessage(commId, data ?? []), ProtocolJsonContext.Default.CommMessage);

    void ICommPublisher.PublishCommClose(string commId, JsonObject? data) =>
        Publish(CurrentParent, MessageTypes.CommClose, new CommMessage(commId, data ?? []), ProtocolJsonContext.Default.CommMessage);

    // ---------------------------------------------------------------- sending

    private MessageHeader NewHeader(string type) => new()
    {
        MessageId = Guid.NewGuid().ToString("N"),
        Session = Session,
        Username = "kernel",
        MessageType = type,
    };

    private void PublishStatus(JupyterMessage? parent, string state) =>
        Publish(parent, MessageTypes.Status, new StatusContent(state), ProtocolJsonContext.Default.StatusContent);

    /// <summary>Publishes on iopub with a parent (or none).</summary>
    internal void Publish<T>(JupyterMessage? parent, string type, T content, JsonTypeInfo<T> typeInfo)
    {
        var message = JupyterMessage.Create(NewHeader(type), parent, content, typeInfo)
            .WithIdentities([System.Text.Encoding.ASCII.GetBytes($"kernel.{Session}.{type}")]);
        _transport.Send(KernelChannel.IOPub, message);
    }

    private void Reply<T>(KernelChannel channel, JupyterMessage request, string type, T content, JsonTypeInfo<T> typeInfo)
    {
        var message = JupyterMessage.Create(NewHeader(type), request, content, typeInfo).WithIdentities(request.Identities);
        _transport.Send(channel, message);
    }

    /// <summary>Disposes the history store.</summary>
    public ValueTask DisposeAsync()
    {
        try { _historyWrites.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { }
        if (_history.IsValueCreated) _history.Value.Dispose();
        _shutdown.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Converts between Jupyter cursor positions (Unicode code points, protocol 5.2+) and UTF-16 indexes.</summary>
public static class CodePoints
{
    /// <summary>The UTF-16 index of a code-point offset (clamped to the text).</summary>
    public static int ToUtf16Index(string text, int codePoints)
    {
        var index = 0;
        for (var n = 0; n < codePoints && index < text.Length; n++)
            index += char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
        return index;
    }

    /// <summary>The code-point offset of a UTF-16 index.</summary>
    public static int FromUtf16Index(string text, int utf16)
    {
        var n = 0;
        for (var i = 0; i < utf16 && i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            n++;
        }
        return n;
    }
}
