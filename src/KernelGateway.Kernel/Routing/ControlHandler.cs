using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGateway.Kernel.Engine;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;
using KernelGateway.Zmq;

namespace KernelGateway.Kernel.Routing;

/// <summary>
/// The kernel's own requests, answered on whichever channel they come (control, so also while a cell runs):
/// kernel_info, connect, interrupt and shutdown. A shutdown is answered here and carried out by the router.
/// </summary>
internal sealed class ControlHandler(ILanguageEngine engine, ConnectionInfo connection, RunningCell cell, MessageSender sender)
{
    private int _shutdown; // 0: none asked; 1: shutdown; 2: shutdown with restart

    /// <summary>The implementation name and version reported in kernel_info_reply.</summary>
    public (string Name, string Version) Implementation { get; set; } = ("kernelgateway", typeof(KernelRouter).Assembly.GetName().Version?.ToString(3) ?? "0.1.0");

    /// <summary>The banner reported in kernel_info_reply.</summary>
    public string Banner { get; set; } = "C# (KernelGateway) on .NET Interactive";

    /// <summary>Help links reported in kernel_info_reply.</summary>
    public List<HelpLink> HelpLinks { get; set; } = [];

    /// <summary>Null until a shutdown_request was answered; then whether it asked for a restart.</summary>
    public bool? ShutdownAnswered => Volatile.Read(ref _shutdown) switch { 0 => null, var s => s == 2 };

    /// <summary>kernel_info_request.</summary>
    public Task KernelInfoAsync(KernelChannel channel, JupyterMessage request, CancellationToken cancellationToken)
    {
        var info = new KernelInfoReply
        {
            Implementation = Implementation.Name,
            ImplementationVersion = Implementation.Version,
            LanguageInfo = engine.LanguageInfo,
            Banner = Banner,
            HelpLinks = HelpLinks,
            SupportedFeatures = [],
        };
        sender.Reply(channel, request, MessageTypes.KernelInfoReply, info, ProtocolJsonContext.Default.KernelInfoReply);
        return Task.CompletedTask;
    }

    /// <summary>connect_request: the kernel's ports.</summary>
    public Task ConnectAsync(KernelChannel channel, JupyterMessage request, CancellationToken cancellationToken)
    {
        var ports = new JsonObject
        {
            ["shell_port"] = connection.ShellPort, ["iopub_port"] = connection.IOPubPort, ["stdin_port"] = connection.StdinPort,
            ["hb_port"] = connection.HeartbeatPort, ["control_port"] = connection.ControlPort, ["status"] = "ok",
        };
        sender.Reply(channel, request, MessageTypes.ConnectReply, ports, ProtocolJsonContext.Default.JsonObject);
        return Task.CompletedTask;
    }

    /// <summary>interrupt_request: cancels the running cell, if any.</summary>
    public Task InterruptAsync(KernelChannel channel, JupyterMessage request, CancellationToken cancellationToken)
    {
        cell.Interrupt();
        sender.Reply(channel, request, MessageTypes.InterruptReply, new StatusReply(), ProtocolJsonContext.Default.StatusReply);
        return Task.CompletedTask;
    }

    /// <summary>shutdown_request: interrupts the running cell and answers; the router stops once it has published idle.</summary>
    public Task ShutdownAsync(KernelChannel channel, JupyterMessage request, CancellationToken cancellationToken)
    {
        var restart = request.Content.TryGetProperty("restart", out var r) && r.ValueKind == JsonValueKind.True;
        cell.Interrupt();
        sender.Reply(channel, request, MessageTypes.ShutdownReply, new ShutdownContent(restart, "ok"), ProtocolJsonContext.Default.ShutdownContent);
        Volatile.Write(ref _shutdown, restart ? 2 : 1);
        return Task.CompletedTask;
    }
}
