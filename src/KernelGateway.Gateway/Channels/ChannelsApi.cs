using System.Buffers;
using System.Net.WebSockets;
using KernelGateway.Gateway.Kernels;
using KernelGateway.Gateway.Options;
using KernelGateway.Gateway.Policy;
using KernelGateway.Protocol;
using KernelGateway.Protocol.WebSocket;
using Microsoft.Extensions.Logging;

namespace KernelGateway.Gateway.Channels;

/// <summary>
/// The WebSocket <c>/api/kernels/{id}/channels</c>: all kernel channels multiplexed over one socket, in the legacy
/// JSON framing (a <c>channel</c> field) or, when the client asks for it, <c>v1.kernel.websocket.jupyter.org</c>.
/// </summary>
public static class ChannelsApi
{
    private const int MaxMessageBytes = 64 * 1024 * 1024;

    /// <summary>Maps the channels route.</summary>
    public static IEndpointRouteBuilder MapChannels(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/kernels/{id}/channels", async (string id, HttpContext context, KernelManager manager, GatewayOptions options, ILoggerFactory logs) =>
        {
            var kernel = manager.Get(id);
            if (!context.WebSockets.IsWebSocketRequest) throw new GatewayException(400, "This endpoint needs a WebSocket upgrade");
            var v1 = context.WebSockets.WebSocketRequestedProtocols.Contains(WebSocketCodec.V1Subprotocol);
            using var socket = await context.WebSockets.AcceptWebSocketAsync(v1 ? WebSocketCodec.V1Subprotocol : null);
            var hub = context.RequestServices.GetRequiredService<ChannelHubs>().For(kernel);
            var session = context.Request.Query["session_id"].ToString();
            var connection = new ChannelConnection(socket, v1, options.WebSocketQueueLimit, session.Length > 0 ? session : null);
            var log = logs.CreateLogger("KernelGateway.Gateway.Channels");
            var replayed = hub.Add(connection);
            if (replayed > 0) log.LogInformation("replayed {Count} messages to the returning session of kernel {KernelId}", replayed, kernel.Id);
            var writer = connection.RunWriterAsync();
            try
            {
                await ReceiveLoopAsync(socket, connection, hub, log, context.RequestAborted);
            }
            finally
            {
                hub.Remove(connection);
                if (socket.State == WebSocketState.Closed) connection.Finish();
                else connection.Abort();
                await writer;
            }
        });
        return routes;
    }

    private static async Task ReceiveLoopAsync(WebSocket socket, ChannelConnection connection, KernelChannelHub hub, ILogger log, CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted, connection.Closed);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.GetMemory(16 * 1024), stop.Token);
                    buffer.Advance(result.Count);
                    if (buffer.WrittenCount > MaxMessageBytes)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "message too big", stop.Token);
                        return;
                    }
                } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await connection.CloseAsync("client closed");
                    return;
                }
                Forward(buffer.WrittenSpan, result.MessageType == WebSocketMessageType.Binary, connection, hub, log);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    private static void Forward(ReadOnlySpan<byte> payload, bool binary, ChannelConnection connection, KernelChannelHub hub, ILogger log)
    {
        var message = connection.UsesV1 ? WebSocketCodec.DecodeV1(payload, out var error) : WebSocketCodec.DecodeLegacy(payload, binary, out error);
        if (message is null)
        {
            log.LogWarning("dropped a WebSocket message: {Error}", error);
            return;
        }
        if (!KernelChannelNames.TryParse(message.Channel, out var channel) || channel is KernelChannel.IOPub or KernelChannel.Heartbeat)
        {
            log.LogWarning("dropped {MsgType} for channel {Channel}", message.MessageType, message.Channel);
            return;
        }
        log.LogDebug("websocket -> {Channel} {MsgType}", message.Channel, message.MessageType);
        try
        {
            hub.Send(connection, channel, message);
        }
        catch (InvalidOperationException e)
        {
            log.LogWarning("dropped {MsgType}: {Reason}", message.MessageType, e.Message);
        }
    }
}
