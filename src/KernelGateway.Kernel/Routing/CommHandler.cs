using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Kernel.Comms;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;

namespace KernelGateway.Kernel.Routing;

/// <summary>
/// Comms: comm_open, comm_msg and comm_close from the frontend go to the registry, comm_info_request lists the
/// open ones, and what kernel code sends on a comm is published with the current request as parent.
/// </summary>
internal sealed class CommHandler : ICommPublisher
{
    private readonly MessageSender _sender;
    private readonly RunningCell _cell;

    public CommHandler(MessageSender sender, RunningCell cell)
    {
        _sender = sender;
        _cell = cell;
        Comms = new CommManager(this);
    }

    /// <summary>The comm registry.</summary>
    public CommManager Comms { get; }

    /// <summary>comm_info_request: the open comms, of one target if it names one.</summary>
    public Task InfoAsync(KernelChannel channel, JupyterMessage request, CancellationToken cancellationToken)
    {
        var target = request.Content.TryGetProperty("target_name", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var comms = Comms.Open.Values.Where(c => target is null || c.TargetName == target)
            .ToDictionary(c => c.Id, c => new CommInfo(c.TargetName));
        _sender.Reply(channel, request, MessageTypes.CommInfoReply, new CommInfoReply(comms), ProtocolJsonContext.Default.CommInfoReply);
        return Task.CompletedTask;
    }

    /// <summary>comm_open, comm_msg or comm_close from the frontend; what the comm sends meanwhile has it as parent.</summary>
    public Task MessageAsync(KernelChannel channel, JupyterMessage request, CancellationToken cancellationToken)
    {
        var previous = _cell.SwapParent(request);
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
            _cell.SwapParent(previous);
        }
        return Task.CompletedTask;
    }

    void ICommPublisher.PublishCommOpen(string commId, string targetName, JsonObject? data) =>
        _sender.Publish(_cell.Parent, MessageTypes.CommOpen, new CommOpen(commId, targetName, data ?? []), ProtocolJsonContext.Default.CommOpen);

    void ICommPublisher.PublishCommMsg(string commId, JsonObject? data) =>
        _sender.Publish(_cell.Parent, MessageTypes.CommMsg, new CommMessage(commId, data ?? []), ProtocolJsonContext.Default.CommMessage);

    void ICommPublisher.PublishCommClose(string commId, JsonObject? data) =>
        _sender.Publish(_cell.Parent, MessageTypes.CommClose, new CommMessage(commId, data ?? []), ProtocolJsonContext.Default.CommMessage);
}
