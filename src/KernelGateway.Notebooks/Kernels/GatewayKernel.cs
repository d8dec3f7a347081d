using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Protocol.WebSocket;
using KernelGateway.Zmq;

namespace KernelGateway.Notebooks.Kernels;

/// <summary>
/// A kernel started through a Jupyter Kernel Gateway (ours, or Jupyter's): <c>POST /api/kernels</c> with the
/// token (<c>Authorization: token ...</c>), then the kernel's channels WebSocket (legacy JSON framing) for execute
/// requests, <c>POST /api/kernels/{id}/interrupt</c> to interrupt, <c>DELETE /api/kernels/{id}</c> at the end. A
/// request's outcome is its reply and its iopub messages up to idle, as from <see cref="KernelClient"/>.
/// </summary>
public sealed class GatewayKernel : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly ClientWebSocket _socket;
    private readonly string _id;
    private readonly string _session = Guid.NewGuid().ToString("N");
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly ConcurrentDictionary<string, Pending> _pending = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reader;

    private sealed class Pending
    {
        public readonly List<JupyterMessage> IOPub = [];
        public readonly TaskCompletionSource<JupyterMessage> Reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private GatewayKernel(HttpClient http, ClientWebSocket socket, string id)
    {
        (_http, _socket, _id) = (http, socket, id);
        _reader = ReadAsync();
    }

    /// <summary>The kernel's id on the gateway.</summary>
    public string Id => _id;

    /// <summary>Completes when the channels connection ends (the kernel died, or the gateway went away).</summary>
    public Task Closed => _closed.Task;

    /// <summary>Starts a kernel of <paramref name="kernelName"/> on the gateway at <paramref name="gateway"/> and connects to it.</summary>
    /// <exception cref="InvalidOperationException">The gateway refused (the message says why: its status and reason).</exception>
    public static async Task<GatewayKernel> StartAsync(Uri gateway, string? token, string kernelName, CancellationToken cancellationToken)
    {
        var root = gateway.AbsoluteUri.EndsWith('/') ? gateway : new Uri(gateway.AbsoluteUri + "/");
        var http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromMinutes(2) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
        try
        {
            using var response = await http.PostAsync("api/kernels", new StringContent(new JsonObject { ["name"] = kernelName }.ToJsonString(), Encoding.UTF8, "application/json"),
                cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"the gateway refused to start a {kernelName} kernel: {(int)response.StatusCode} {Reason(body)}");
            var id = JsonNode.Parse(body)?["id"]?.GetValue<string>() ?? throw new InvalidOperationException("the gateway answered without a kernel id");
            var socket = new ClientWebSocket();
            if (token is not null) socket.Options.SetRequestHeader("Authorization", "token " + token);
            var ws = new UriBuilder(new Uri(root, $"api/kernels/{Uri.EscapeDataString(id)}/channels")) { Scheme = root.Scheme == "https" ? "wss" : "ws" };
            await socket.ConnectAsync(ws.Uri, cancellationToken).ConfigureAwait(false);
            return new GatewayKernel(http, socket, id);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>Waits until the kernel answers kernel_info (through the gateway).</summary>
    public async Task WaitForReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        await RunAsync(MessageTypes.KernelInfoRequest, JsonDocument.Parse("{}").RootElement, cts.Token).ConfigureAwait(false);
    }

    /// <summary>Runs code and collects its reply and iopub messages up to idle.</summary>
    public Task<RequestOutcome> ExecuteAsync(string code, bool stopOnError, CancellationToken cancellationToken) =>
        RunAsync(MessageTypes.ExecuteRequest, JsonSerializer.SerializeToElement(new ExecuteRequest { Code = code, StopOnError = stopOnError }, ProtocolJsonContext.Default.ExecuteRequest),
            cancellationToken);

    /// <summary>Interrupts the kernel through the gateway (which does what the kernelspec asks).</summary>
    public async Task InterruptAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync($"api/kernels/{Uri.EscapeDataString(_id)}/interrupt", null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RequestOutcome> RunAsync(string msgType, JsonElement content, CancellationToken cancellationToken)
    {
        var header = new MessageHeader { MessageId = Guid.NewGuid().ToString("N"), Session = _session, Username = "kernelgateway-run", MessageType = msgType };
        var request = JupyterMessage.Create(header, null, content);
        var pending = new Pending();
        _pending[header.MessageId] = pending;
        try
        {
            var (payload, binary) = WebSocketCodec.EncodeLegacy(request, KernelChannel.Shell.ToWireName());
            await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _socket.SendAsync(payload, binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _send.Release();
            }
            var done = Task.WhenAll(pending.Reply.Task, pending.Idle.Task);
            if (await Task.WhenAny(done, _closed.Task).WaitAsync(cancellationToken).ConfigureAwait(false) != done)
                throw new OperationCanceledException("the kernel's channels connection closed");
            List<JupyterMessage> iopub;
            lock (pending.IOPub) iopub = [.. pending.IOPub];
            return new RequestOutcome(request, await pending.Reply.Task.ConfigureAwait(false), iopub);
        }
        finally
        {
            _pending.TryRemove(header.MessageId, out _);
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                message.SetLength(0);
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close) break;
                var m = WebSocketCodec.DecodeLegacy(message.GetBuffer().AsSpan(0, (int)message.Length), result.MessageType == WebSocketMessageType.Binary, out _);
                if (m?.ParentHeader?.MessageId is not { } parent || !_pending.TryGetValue(parent, out var pending)) continue;
                if (m.Channel == "iopub")
                {
                    lock (pending.IOPub) pending.IOPub.Add(m);
                    if (m.MessageType == MessageTypes.Status && m.Content.TryGetProperty("execution_state", out var s) && s.GetString() == "idle") pending.Idle.TrySetResult();
                }
                else if (m.Channel == "shell")
                {
                    pending.Reply.TrySetResult(m);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // the connection ended: Closed says so
        }
        finally
        {
            _closed.TrySetResult();
        }
    }

    private static string Reason(string body)
    {
        try
        {
            var node = JsonNode.Parse(body);
            return node?["message"]?.GetValue<string>() ?? node?["reason"]?.GetValue<string>() ?? body;
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }

    /// <summary>Closes the channels connection and shuts the kernel down on the gateway.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open) await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).ConfigureAwait(false);
        }
        catch (WebSocketException) { }
        try
        {
            using var response = await _http.DeleteAsync($"api/kernels/{Uri.EscapeDataString(_id)}").ConfigureAwait(false);
        }
        catch (HttpRequestException) { }
        await _reader.ConfigureAwait(false);
        _socket.Dispose();
        _http.Dispose();
        _send.Dispose();
    }
}
