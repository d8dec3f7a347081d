namespace KernelGateway.Protocol;

/// <summary>Versions and constants of the protocol as implemented here.</summary>
public static class ProtocolInfo
{
    /// <summary>The messaging protocol version spoken by this implementation.</summary>
    public const string Version = "5.4";

    /// <summary>The frame that separates ZMQ routing identities from the message.</summary>
    public static ReadOnlySpan<byte> Delimiter => "<IDS|MSG>"u8;

    /// <summary>The delimiter as a string.</summary>
    public const string DelimiterText = "<IDS|MSG>";
}

/// <summary>Formats timestamps as the protocol wants them.</summary>
public static class ProtocolClock
{
    /// <summary>The current UTC time as <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>.</summary>
    public static string Now() => Format(DateTimeOffset.UtcNow);

    /// <summary>Formats a time as <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c> in UTC.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
