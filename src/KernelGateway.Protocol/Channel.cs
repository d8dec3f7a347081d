namespace KernelGateway.Protocol;

/// <summary>The five channels of a kernel connection.</summary>
public enum KernelChannel
{
    /// <summary>Requests and replies for code execution, introspection and comms.</summary>
    Shell,
    /// <summary>Like shell, on its own socket so it is served while shell is busy.</summary>
    Control,
    /// <summary>Broadcast side effects: status, outputs, comms from the kernel.</summary>
    IOPub,
    /// <summary>The kernel asks the frontend for raw input.</summary>
    Stdin,
    /// <summary>Echo liveness check.</summary>
    Heartbeat,
}

/// <summary>Channel names as they appear on the wire (WebSocket framing).</summary>
public static class KernelChannelNames
{
    /// <summary>The wire name of a channel: shell, control, iopub, stdin, hb.</summary>
    public static string ToWireName(this KernelChannel channel) => channel switch
    {
        KernelChannel.Shell => "shell",
        KernelChannel.Control => "control",
        KernelChannel.IOPub => "iopub",
        KernelChannel.Stdin => "stdin",
        KernelChannel.Heartbeat => "hb",
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };

    /// <summary>Parses a wire name; false for an unknown one.</summary>
    public static bool TryParse(string? name, out KernelChannel channel)
    {
        switch (name)
        {
            case "shell": channel = KernelChannel.Shell; return true;
            case "control": channel = KernelChannel.Control; return true;
            case "iopub": channel = KernelChannel.IOPub; return true;
            case "stdin": channel = KernelChannel.Stdin; return true;
            case "hb": channel = KernelChannel.Heartbeat; return true;
            default: channel = default; return false;
        }
    }
}
