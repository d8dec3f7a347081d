using System.Text.Json;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Zmq;

namespace KernelGateway.Kernel.Routing;

/// <summary>
/// Asks the frontend for input on stdin (input_request) and waits for its input_reply. One request at a time;
/// an interrupt of the running cell ends the wait.
/// </summary>
internal sealed class StdinHandler(KernelTransport transport, MessageSender sender, RunningCell cell)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Sends input_request with <paramref name="parent"/> as parent and returns the value of the reply.</summary>
    public async Task<string> RequestInputAsync(JupyterMessage parent, string prompt, bool password, CancellationToken cancellationToken)
    {
        var token = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cell.Token);
        await _gate.WaitAsync(token.Token).ConfigureAwait(false);
        try
        {
            while (transport.Stdin.TryRead(out _)) { } // stale replies
            var message = JupyterMessage.Create(sender.NewHeader(MessageTypes.InputRequest), parent.HeaderJson,
                    JsonSerializer.SerializeToElement(new InputRequest(prompt, password), ProtocolJsonContext.Default.InputRequest))
                .WithIdentities(parent.Identities);
            sender.Send(KernelChannel.Stdin, message);
            while (true)
            {
                var reply = await transport.Stdin.ReadAsync(token.Token).ConfigureAwait(false);
                if (reply.MessageType != MessageTypes.InputReply) continue;
                return reply.Content.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            }
        }
        finally
        {
            _gate.Release();
            token.Dispose();
        }
    }
}
