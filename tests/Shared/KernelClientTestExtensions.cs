using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Zmq;

namespace KernelGateway.Tests;

/// <summary>
/// Acting on a cell while it runs: send it, and go on once the kernel shows it runs (its execute_input, or a
/// first output it prints), watched live on iopub — never after a guessed delay.
/// </summary>
public static class KernelClientTestExtensions
{
    /// <summary>
    /// Sends <paramref name="code"/> on shell and returns once an iopub message of it matches <paramref name="started"/>
    /// (its execute_input by default); the returned task completes with its outcome.
    /// </summary>
    public static Task<Task<RequestOutcome>> StartExecuteAsync(this KernelClient client, string code, CancellationToken cancellationToken,
        Func<JupyterMessage, bool>? started = null, bool allowStdin = false, bool stopOnError = true) =>
        client.StartAsync(client.CreateRequest(MessageTypes.ExecuteRequest,
            new ExecuteRequest { Code = code, AllowStdin = allowStdin, StopOnError = stopOnError }, ProtocolJsonContext.Default.ExecuteRequest),
            cancellationToken, started);

    /// <summary>
    /// Sends <paramref name="request"/> on shell and returns once an iopub message with it as parent matches
    /// <paramref name="started"/> (execute_input by default); fails if the request is answered first.
    /// </summary>
    public static async Task<Task<RequestOutcome>> StartAsync(this KernelClient client, JupyterMessage request, CancellationToken cancellationToken,
        Func<JupyterMessage, bool>? started = null)
    {
        started ??= m => m.MessageType == MessageTypes.ExecuteInput;
        var seen = client.NextIOPubAsync(m => m.ParentHeader?.MessageId == request.Header.MessageId && started(m));
        var outcome = client.RunAsync(KernelChannel.Shell, request, cancellationToken);
        if (await Task.WhenAny(seen, outcome).WaitAsync(cancellationToken) != seen)
            throw new InvalidOperationException("the request was answered before it was seen running: " + (await outcome).Reply.Content);
        return outcome;
    }

    /// <summary>The next iopub message that matches <paramref name="match"/>, watched live (call it before causing the message).</summary>
    public static Task<JupyterMessage> NextIOPubAsync(this KernelClient client, Func<JupyterMessage, bool> match)
    {
        var found = new TaskCompletionSource<JupyterMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(KernelChannel channel, JupyterMessage m)
        {
            if (channel == KernelChannel.IOPub && match(m) && found.TrySetResult(m)) client.MessageReceived -= Handler;
        }
        client.MessageReceived += Handler;
        return found.Task;
    }

    /// <summary>Matches the stream output (stdout or stderr) that contains <paramref name="text"/>.</summary>
    public static Func<JupyterMessage, bool> Printed(string text) =>
        m => m.MessageType == MessageTypes.Stream && m.Content.GetProperty("text").GetString()!.Contains(text, StringComparison.Ordinal);

    /// <summary>Sends interrupt_request on control and waits for its reply.</summary>
    public static Task<JupyterMessage> InterruptAsync(this KernelClient client, CancellationToken cancellationToken) =>
        client.RequestAsync(KernelChannel.Control, client.CreateRequest(MessageTypes.InterruptRequest, KernelClient.EmptyContent), cancellationToken);
}
