namespace KernelGateway.Platform.Metastore;

/// <summary>
/// A lookup on one connection failed: the connection is unknown, unusable or not supported, the engine failed or
/// timed out, or the object does not exist. The message never holds the connection string or a secret from it, and
/// the engine's exception is not attached (its text is scrubbed into the message) so that none can leak through it.
/// </summary>
public sealed class MetastoreException : Exception
{
    /// <summary>A failure of a lookup on <paramref name="connection"/>.</summary>
    public MetastoreException(string connection, MetastoreErrorKind kind, string message)
        : base(message)
    {
        Connection = connection;
        Kind = kind;
    }

    /// <summary>The connection's name.</summary>
    public string Connection { get; }

    /// <summary>What went wrong.</summary>
    public MetastoreErrorKind Kind { get; }

    /// <summary>The failure as a federated answer's error entry.</summary>
    public MetastoreError ToError() => new(Connection, Kind, Message);
}
