using System.Data;
using System.Data.Common;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// ADO.NET over a <see cref="TrinoClient"/> and its session, so Dapper and code written against DbConnection work on
/// Trino. Opening does no I/O (the protocol is stateless HTTP); the first command reaches the server. Transactions are
/// Trino's own SQL (<c>START TRANSACTION</c>, <c>COMMIT</c>), which the session follows.
/// </summary>
internal sealed class TrinoDbConnection(TrinoClient client) : DbConnection
{
    private ConnectionState _state = ConnectionState.Closed;

    public TrinoClient Client => client;

#pragma warning disable CS8765 // the setter refuses any value
    public override string ConnectionString
    {
        get => client.Options.ToString();
        set => throw new NotSupportedException("a Trino connection is made from its client");
    }
#pragma warning restore CS8765

    public override string Database => client.Session.Catalog ?? "";

    public override string DataSource => client.Options.Server.ToString();

    public override string ServerVersion => client.Options.Presto ? "presto" : "trino";

    public override ConnectionState State => _state;

    public override void Open() => _state = ConnectionState.Open;

    public override Task OpenAsync(CancellationToken cancellationToken)
    {
        Open();
        return Task.CompletedTask;
    }

    public override void Close() => _state = ConnectionState.Closed;

    public override void ChangeDatabase(string databaseName) =>
        throw new NotSupportedException("use the SQL statement USE catalog.schema");

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
        throw new NotSupportedException("use the SQL statements START TRANSACTION, COMMIT and ROLLBACK");

    protected override DbCommand CreateDbCommand() => new TrinoDbCommand(this);
}
