namespace KernelGateway.Kernel.Routing;

/// <summary>Settings of a kernel process. Defaults suit an interactive frontend.</summary>
public sealed record KernelOptions
{
    /// <summary>The data directory (history lives here); <c>$KG_DATA_DIR</c> or <c>~/.kernelgateway</c> by default.</summary>
    public string DataDirectory { get; init; } = DefaultDataDirectory();

    /// <summary>How long stream text may wait before it is sent; 20 ms by default.</summary>
    public TimeSpan StreamFlushInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How much stream text (characters) is sent in one message at most; 64 Ki by default.</summary>
    public int StreamBatchCharacters { get; init; } = 64 * 1024;

    /// <summary>Whether history is kept on disk; true by default.</summary>
    public bool PersistHistory { get; init; } = true;

    /// <summary>The data directory from <c>KG_DATA_DIR</c>, or <c>~/.kernelgateway</c>.</summary>
    public static string DefaultDataDirectory() =>
        Environment.GetEnvironmentVariable("KG_DATA_DIR") is { Length: > 0 } d
            ? d
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kernelgateway");
}
