using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Execution;

/// <summary>The server's open connections by id, so a fault can abort the TCP connection under an HTTP/2 stream.</summary>
internal sealed class ConnectionTracker
{
    private readonly ConcurrentDictionary<string, ConnectionContext> _open = new();

    /// <summary>Kestrel connection middleware that registers each connection while it is open.</summary>
    public Func<ConnectionDelegate, ConnectionDelegate> Middleware => next => async connection =>
    {
        _open[connection.ConnectionId] = connection;
        try
        {
            await next(connection);
        }
        finally
        {
            _open.TryRemove(connection.ConnectionId, out _);
        }
    };

    public bool Abort(string connectionId)
    {
        if (!_open.TryGetValue(connectionId, out var c)) return false;
        c.Abort(new ConnectionAbortedException("fault: connection dropped"));
        return true;
    }
}
