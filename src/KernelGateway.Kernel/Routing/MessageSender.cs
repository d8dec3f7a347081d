using System.Text.Json.Serialization.Metadata;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Zmq;

namespace KernelGateway.Kernel.Routing;

/// <summary>
/// Stamps and sends the kernel's messages: headers in the kernel's session, iopub publications (status among
/// them), and replies addressed to the identities of the request they answer.
/// </summary>
internal sealed class MessageSender(KernelTransport transport, string session)
{
    /// <summary>The kernel's session id, in every header.</summary>
    public string Session => session;

    /// <summary>A header for a new message of the kernel.</summary>
    public MessageHeader NewHeader(string type) => new()
    {
        MessageId = Guid.NewGuid().ToString("N"),
        Session = session,
        Username = "kernel",
        MessageType = type,
    };

    /// <summary>Publishes on iopub with a parent (or none).</summary>
    public void Publish<T>(JupyterMessage? parent, string type, T content, JsonTypeInfo<T> typeInfo)
    {
        var message = JupyterMessage.Create(NewHeader(type), parent, content, typeInfo)
            .WithIdentities([System.Text.Encoding.ASCII.GetBytes($"kernel.{session}.{type}")]);
        transport.Send(KernelChannel.IOPub, message);
    }

    /// <summary>Publishes the kernel's execution state (<c>starting</c>, <c>busy</c>, <c>idle</c>).</summary>
    public void Status(JupyterMessage? parent, string state) =>
        Publish(parent, MessageTypes.Status, new StatusContent(state), ProtocolJsonContext.Default.StatusContent);

    /// <summary>Answers a request on its channel.</summary>
    public void Reply<T>(KernelChannel channel, JupyterMessage request, string type, T content, JsonTypeInfo<T> typeInfo)
    {
        var message = JupyterMessage.Create(NewHeader(type), request, content, typeInfo).WithIdentities(request.Identities);
        transport.Send(channel, message);
    }

    /// <summary>Answers a request with an error reply of its reply type.</summary>
    public void ReplyError(KernelChannel channel, JupyterMessage request, string ename, string evalue, List<string> traceback) =>
        Reply(channel, request, MessageTypes.ReplyFor(request.MessageType), new ErrorReply(ename, evalue, traceback), ProtocolJsonContext.Default.ErrorReply);

    /// <summary>Sends a message built elsewhere (an input_request) as it is.</summary>
    public void Send(KernelChannel channel, JupyterMessage message) => transport.Send(channel, message);
}
