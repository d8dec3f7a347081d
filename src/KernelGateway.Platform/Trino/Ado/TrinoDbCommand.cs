using System.Data;
using System.Data.Common;

namespace KernelGateway.Platform.Trino;

/// <summary>A statement on a <see cref="TrinoDbConnection"/>; its parameters are bound by name (<c>@name</c>) as Trino binds them.</summary>
internal sealed class TrinoDbCommand(TrinoDbConnection connection) : DbCommand
{
    private readonly TrinoDbParameterCollection _parameters = new();
    private TrinoQuery? _running;

#pragma warning disable CS8765 // CommandText is never null here
    public override string CommandText { get; set; } = "";
#pragma warning restore CS8765

    public override int CommandTimeout { get; set; }

    public override CommandType CommandType { get; set; } = CommandType.Text;

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection { get => connection; set => throw new NotSupportedException(); }

    protected override DbParameterCollection DbParameterCollection => _parameters;

    protected override DbTransaction? DbTransaction { get; set; }

    public override void Cancel() => _ = _running?.CancelAsync();

    public override void Prepare() { }

    protected override DbParameter CreateDbParameter() => new TrinoDbParameter();

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        var query = Start(cancellationToken);
        try
        {
            await query.GetColumnsAsync(cancellationToken).ConfigureAwait(false);
            if (query.Completion.IsFaulted || query.Completion.IsCanceled) await query.Completion.ConfigureAwait(false);
        }
        catch
        {
            await query.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new TrinoDataReader(query, cancellationToken, behavior.HasFlag(CommandBehavior.CloseConnection) ? connection : null);
    }

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) =>
        ExecuteDbDataReaderAsync(behavior, CancellationToken.None).GetAwaiter().GetResult();

    public override async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        await using var query = Start(cancellationToken);
        await query.CountRowsAsync(cancellationToken).ConfigureAwait(false);
        return query.UpdateCount is { } n ? (int)Math.Min(n, int.MaxValue) : -1;
    }

    public override int ExecuteNonQuery() => ExecuteNonQueryAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
    {
        await using var query = Start(cancellationToken);
        await foreach (var row in query.ReadRowsAsync(cancellationToken).ConfigureAwait(false)) return row.Length == 0 ? null : row[0] ?? DBNull.Value;
        return null;
    }

    public override object? ExecuteScalar() => ExecuteScalarAsync(CancellationToken.None).GetAwaiter().GetResult();

    private TrinoQuery Start(CancellationToken cancellationToken)
    {
        if (connection.State != ConnectionState.Open) throw new InvalidOperationException("the connection is not open");
        var named = _parameters.Count == 0 ? null : _parameters.ToDictionary();
        if (CommandTimeout > 0)
        {
            var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(CommandTimeout));
            cancellationToken = timeout.Token;
        }
        return _running = connection.Client.Submit(CommandText, named, null, cancellationToken);
    }
}

/// <summary>A named parameter: its value becomes a Trino literal in <c>EXECUTE ... USING</c>.</summary>
internal sealed class TrinoDbParameter : DbParameter
{
    public override DbType DbType { get; set; } = DbType.Object;
    public override ParameterDirection Direction { get; set; } = ParameterDirection.Input;
    public override bool IsNullable { get; set; } = true;
#pragma warning disable CS8765 // names are never null here
    public override string ParameterName { get; set; } = "";
    public override string SourceColumn { get; set; } = "";
#pragma warning restore CS8765
    public override object? Value { get; set; }
    public override bool SourceColumnNullMapping { get; set; }
    public override int Size { get; set; }
    public override void ResetDbType() => DbType = DbType.Object;
}

/// <summary>The parameters of a <see cref="TrinoDbCommand"/>.</summary>
internal sealed class TrinoDbParameterCollection : DbParameterCollection
{
    private readonly List<TrinoDbParameter> _items = [];

    public Dictionary<string, object?> ToDictionary() =>
        _items.ToDictionary(p => p.ParameterName.TrimStart('@', '$', ':'), p => p.Value is DBNull ? null : p.Value, StringComparer.OrdinalIgnoreCase);

    public override int Count => _items.Count;
    public override object SyncRoot => _items;
    public override int Add(object value) { _items.Add(Cast(value)); return _items.Count - 1; }
    public override void AddRange(Array values) { foreach (var v in values) Add(v!); }
    public override void Clear() => _items.Clear();
    public override bool Contains(object value) => _items.Contains(value as TrinoDbParameter ?? new TrinoDbParameter());
    public override bool Contains(string value) => IndexOf(value) >= 0;
    public override void CopyTo(Array array, int index) => ((System.Collections.ICollection)_items).CopyTo(array, index);
    public override System.Collections.IEnumerator GetEnumerator() => _items.GetEnumerator();
    public override int IndexOf(object value) => value is TrinoDbParameter p ? _items.IndexOf(p) : -1;
    public override int IndexOf(string parameterName) => _items.FindIndex(p => string.Equals(p.ParameterName.TrimStart('@', '$', ':'), parameterName.TrimStart('@', '$', ':'), StringComparison.OrdinalIgnoreCase));
    public override void Insert(int index, object value) => _items.Insert(index, Cast(value));
    public override void Remove(object value) => _items.Remove(Cast(value));
    public override void RemoveAt(int index) => _items.RemoveAt(index);
    public override void RemoveAt(string parameterName) => _items.RemoveAt(IndexOf(parameterName));
    protected override DbParameter GetParameter(int index) => _items[index];
    protected override DbParameter GetParameter(string parameterName) => _items[IndexOf(parameterName)];
    protected override void SetParameter(int index, DbParameter value) => _items[index] = Cast(value);
    protected override void SetParameter(string parameterName, DbParameter value) => _items[IndexOf(parameterName)] = Cast(value);

    private static TrinoDbParameter Cast(object value) => value as TrinoDbParameter ?? throw new ArgumentException($"not a Trino parameter: {value?.GetType().Name}");
}
