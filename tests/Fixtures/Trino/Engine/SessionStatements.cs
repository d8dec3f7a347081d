using KernelGateway.Tests.Fixtures.Trino.Protocol;
using KernelGateway.Tests.Fixtures.Trino.Sql;

namespace KernelGateway.Tests.Fixtures.Trino.Engine;

/// <summary>
/// The statements that change the client's session rather than data: USE, SET/RESET SESSION, PREPARE,
/// DEALLOCATE PREPARE, START TRANSACTION, COMMIT, ROLLBACK. Trino keeps no session on the server; it answers with
/// response headers the client applies to its next requests (ProtocolHeaders.java), and so does this.
/// </summary>
internal static class SessionStatements
{
    /// <summary>Carries out a session statement; returns the response headers (without prefix) that tell the client.</summary>
    public static List<(string Name, string Value)> Apply(TrinoStatement s, ClientSession session, DuckDbEngine engine)
    {
        var headers = new List<(string Name, string Value)>();
        switch (s.Kind)
        {
            case StatementKind.Use:
                if (s.Name is not null) headers.Add(("Set-Catalog", s.Name));
                else if (session.Catalog is null) throw new TrinoFailure(TrinoError.User("Catalog must be specified when session catalog is not set", 56, "MISSING_CATALOG_NAME"));
                headers.Add(("Set-Schema", s.Value!));
                break;
            case StatementKind.SetSession:
                headers.Add(("Set-Session", $"{s.Name}={Uri.EscapeDataString(s.Value ?? "")}"));
                break;
            case StatementKind.ResetSession:
                headers.Add(("Clear-Session", s.Name!));
                break;
            case StatementKind.Prepare:
                headers.Add(("Added-Prepare", $"{s.Name}={Uri.EscapeDataString(s.Value ?? "")}"));
                break;
            case StatementKind.Deallocate:
                headers.Add(("Deallocated-Prepare", s.Name!));
                break;
            case StatementKind.StartTransaction:
                if (session.TransactionId is not null) throw new TrinoFailure(TrinoError.User("Nested transactions not supported", 13, "NOT_SUPPORTED"));
                headers.Add(("Started-Transaction-Id", engine.Begin(session.Catalog, session.Schema, session.TimeZone)));
                break;
            case StatementKind.Commit or StatementKind.Rollback:
                headers.Add(EndTransaction(s.Kind == StatementKind.Commit, session, engine));
                break;
        }
        return headers;
    }

    private static (string, string) EndTransaction(bool commit, ClientSession session, DuckDbEngine engine)
    {
        if (session.TransactionId is not { } id) throw new TrinoFailure(TrinoError.User("No transaction in progress", 21, "NOT_IN_TRANSACTION"));
        if (engine.Find(id) is null) throw new TrinoFailure(TrinoError.User($"Unknown transaction ID: {id}. Possibly expired? Commands ignored until end of transaction block", 20, "UNKNOWN_TRANSACTION"));
        engine.End(id, commit);
        return ("Clear-Transaction-Id", "true");
    }
}
