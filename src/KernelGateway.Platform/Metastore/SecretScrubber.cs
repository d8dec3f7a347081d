using KernelGateway.Platform.Warehouse;

namespace KernelGateway.Platform.Metastore;

/// <summary>Makes an engine's error text safe to show: no connection string, no secret value from it.</summary>
internal static class SecretScrubber
{
    /// <summary>The exception's message, with its innermost cause when that says more (e.g. "Connection refused"), scrubbed.</summary>
    public static string Describe(Exception error, ConnectionSpec spec)
    {
        var root = error.GetBaseException();
        var text = root == error || error.Message.Contains(root.Message, StringComparison.Ordinal) ? error.Message : $"{error.Message} ({root.Message})";
        return Scrub(text, spec);
    }

    /// <summary>The text with the connection string shown redacted and every secret value replaced by <c>***</c>.</summary>
    public static string Scrub(string text, ConnectionSpec spec)
    {
        if (spec.ConnectionString.Length > 0) text = text.Replace(spec.ConnectionString, spec.Redacted, StringComparison.Ordinal);
        foreach (var secret in spec.SecretValues()) text = text.Replace(secret, "***", StringComparison.Ordinal);
        return ConnectionSpec.Redact(text);
    }
}
