using System.Collections;
using System.Data.Common;

namespace KernelGateway.Platform.Trino;

/// <summary>Reads a <see cref="TrinoQuery"/>'s rows as they arrive; closing it cancels the query if it has not ended.</summary>
internal sealed class TrinoDataReader : DbDataReader
{
    private readonly TrinoQuery _query;
    private readonly IReadOnlyList<TrinoColumn> _columns;
    private readonly IAsyncEnumerator<object?[]> _rows;
    private readonly DbConnection? _closeWith;
    private object?[]? _current;
    private bool _closed;

    public TrinoDataReader(TrinoQuery query, CancellationToken cancellationToken, DbConnection? closeWith)
    {
        _query = query;
        _columns = query.Columns ?? [];
        _rows = query.ReadRowsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        _closeWith = closeWith;
    }

    /// <summary>The query, for its id, statistics and progress.</summary>
    public TrinoQuery Query => _query;

    public override int FieldCount => _columns.Count;
    public override object this[int ordinal] => GetValue(ordinal);
    public override object this[string name] => GetValue(GetOrdinal(name));
    public override int RecordsAffected => _query.UpdateCount is { } n ? (int)Math.Min(n, int.MaxValue) : -1;
    public override bool HasRows => _query.RowsReceived > 0 || _current is not null;
    public override bool IsClosed => _closed;
    public override int Depth => 0;

    public override string GetName(int ordinal) => _columns[ordinal].Name;
    public override string GetDataTypeName(int ordinal) => _columns[ordinal].Type.DisplayName;
    public override Type GetFieldType(int ordinal) => _columns[ordinal].Type.ClrType;
    public override int GetOrdinal(string name)
    {
        for (var i = 0; i < _columns.Count; i++)
            if (string.Equals(_columns[i].Name, name, StringComparison.OrdinalIgnoreCase)) return i;
        throw new IndexOutOfRangeException($"no column '{name}'");
    }

    public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (_closed) throw new InvalidOperationException("the reader is closed");
        _current = await _rows.MoveNextAsync().ConfigureAwait(false) ? _rows.Current : null;
        return _current is not null;
    }

    public override bool Read() => ReadAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override bool NextResult() => false;

    public override object GetValue(int ordinal) => Row[ordinal] ?? DBNull.Value;
    public override bool IsDBNull(int ordinal) => Row[ordinal] is null;
    public override int GetValues(object[] values)
    {
        var n = Math.Min(values.Length, _columns.Count);
        for (var i = 0; i < n; i++) values[i] = GetValue(i);
        return n;
    }

    public override bool GetBoolean(int ordinal) => Convert.ToBoolean(Row[ordinal]);
    public override byte GetByte(int ordinal) => Convert.ToByte(Row[ordinal]);
    public override char GetChar(int ordinal) => Convert.ToChar(Row[ordinal]);
    public override DateTime GetDateTime(int ordinal) => Row[ordinal] switch
    {
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        DateTimeOffset o => o.UtcDateTime,
        var v => Convert.ToDateTime(v, System.Globalization.CultureInfo.InvariantCulture),
    };
    public override decimal GetDecimal(int ordinal) => Convert.ToDecimal(Row[ordinal], System.Globalization.CultureInfo.InvariantCulture);
    public override double GetDouble(int ordinal) => Convert.ToDouble(Row[ordinal], System.Globalization.CultureInfo.InvariantCulture);
    public override float GetFloat(int ordinal) => Convert.ToSingle(Row[ordinal], System.Globalization.CultureInfo.InvariantCulture);
    public override Guid GetGuid(int ordinal) => Row[ordinal] is Guid g ? g : Guid.Parse(Convert.ToString(Row[ordinal], System.Globalization.CultureInfo.InvariantCulture)!);
    public override short GetInt16(int ordinal) => Convert.ToInt16(Row[ordinal], System.Globalization.CultureInfo.InvariantCulture);
    public override int GetInt32(int ordinal) => Convert.ToInt32(Row[ordinal], System.Globalization.CultureInfo.InvariantCulture);
    public override long GetInt64(int ordinal) => Convert.ToInt64(Row[ordinal], System.Globalization.CultureInfo.InvariantCulture);
    public override string GetString(int ordinal) => Row[ordinal] as string ?? Convert.ToString(Row[ordinal], System.Globalization.CultureInfo.InvariantCulture) ?? "";

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var bytes = (byte[])Row[ordinal]!;
        if (buffer is null) return bytes.Length;
        var n = (int)Math.Max(0, Math.Min(length, bytes.Length - dataOffset));
        Array.Copy(bytes, dataOffset, buffer, bufferOffset, n);
        return n;
    }

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var text = GetString(ordinal);
        if (buffer is null) return text.Length;
        var n = (int)Math.Max(0, Math.Min(length, text.Length - dataOffset));
        text.CopyTo((int)dataOffset, buffer, bufferOffset, n);
        return n;
    }

    public override IEnumerator GetEnumerator() => new DbEnumerator(this);

    public override async Task CloseAsync()
    {
        if (_closed) return;
        _closed = true;
        await _rows.DisposeAsync().ConfigureAwait(false);
        await _query.DisposeAsync().ConfigureAwait(false);
        if (_closeWith is not null) await _closeWith.CloseAsync().ConfigureAwait(false);
    }

    public override void Close() => CloseAsync().GetAwaiter().GetResult();

    public override async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Close();
        base.Dispose(disposing);
    }

    private object?[] Row => _current ?? throw new InvalidOperationException("no current row: call Read first");
}
