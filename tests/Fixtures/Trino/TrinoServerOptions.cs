namespace KernelGateway.Tests.Fixtures.Trino;

/// <summary>How a <see cref="TrinoProtocolServer"/> behaves. Every member has a default that acts like a plain Trino coordinator.</summary>
public sealed record TrinoServerOptions
{
    /// <summary>Speak the Presto dialect: <c>X-Presto-*</c> headers (the user header required on every request) and
    /// type signatures with the old kind names plus <c>typeArguments</c>/<c>literalArguments</c>. Default false (Trino).</summary>
    public bool Presto { get; init; }

    /// <summary>Refuse (400) any request without the user header, not only the POST, as prestodb's protocol document
    /// asks ("must be supplied with every request"). Default false: real servers check the user when a query is
    /// submitted, and independent clients rely on it (presto-client 1.2.0 sends <c>X-Presto-User</c> on the POST only).</summary>
    public bool UserOnEveryRequest { get; init; }

    /// <summary>About how many bytes of row JSON go in one page, as Trino's target result size. Default 1 MiB.</summary>
    public int TargetPageBytes { get; init; } = 1 << 20;

    /// <summary>At most this many rows per page; null (default) for no limit besides <see cref="TargetPageBytes"/>.</summary>
    public int? MaxRowsPerPage { get; init; }

    /// <summary>Responses in state QUEUED (no columns, no data) before the query runs, the POST's included; at least 1. Default 1.</summary>
    public int QueuedResponses { get; init; } = 1;

    /// <summary>A delay before every response that carries rows. Default none.</summary>
    public TimeSpan PageDelay { get; init; }

    /// <summary>Serve HTTPS with a self-signed certificate for 127.0.0.1 and localhost (see <see cref="TrinoProtocolServer.Certificate"/>). Default false.</summary>
    public bool Https { get; init; }

    /// <summary>When set, every request must carry <c>Authorization: Bearer {token}</c>, else 401 with <c>WWW-Authenticate: Bearer</c>;
    /// the user header may then be left out (the query's user is "bearer").</summary>
    public string? RequiredBearerToken { get; init; }

    /// <summary>When set, every request must carry these Basic credentials, else 401 with <c>WWW-Authenticate: Basic realm="Trino"</c>;
    /// the user header may then be left out (the query's user is the Basic user).</summary>
    public (string User, string Password)? RequiredBasic { get; init; }

    /// <summary>Render pages ahead of the client in a bounded queue (4 pages), so serving is faster than any client
    /// decodes. When false, a page is rendered only when a client asks for it. Default true.</summary>
    public bool RenderAhead { get; init; } = true;

    /// <summary>Answer a query identical to an earlier one (same SQL, catalog, schema, time zone and datetime
    /// precision) from the pages rendered for that one, instead of running it again: serving then costs no more than
    /// copying bytes, so a benchmark measures its clients, not DuckDB and the renderer. Not Trino behaviour; off by
    /// default.</summary>
    public bool ReplayResults { get; init; }
}
