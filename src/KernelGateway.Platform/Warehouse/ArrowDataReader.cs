using System.Collections;
using System.Data.Common;
using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace KernelGateway.Platform.Warehouse;

/// <summary>
/// Reads a stream of Arrow record batches (all with one schema) as a DbDataReader, a batch at a time, for code written
/// against ADO.NET (Dapper's row parsers). Values are CLR values: integers, floats, bool, string, byte[], decimal (its
/// exact text beyond <see cref="decimal"/>), DateOnly for dates, DateTimeOffset for timestamps with a time zone and
/// DateTime for those without, TimeSpan for durations, TimeOnly for times, object?[] for lists,
/// Dictionary&lt;string, object?&gt; for structs and Dictionary&lt;object, object?&gt; for maps. Call
/// <see cref="OpenAsync"/> (or <see cref="ReadAsync(CancellationToken)"/>) before asking for the columns. Each batch is
/// disposed when the reader moves past it.
/// </summary>
internal sealed class ArrowDataReader(IAsyncEnumerable<RecordBatch> batches, CancellationToken cancellationToken) : DbDataReader
{
    private readonly IAsyncEnumerator<RecordBatch> _batches = batches.GetAsyncEnumerator(cancellationToken);
    private Schema? _schema;
    private RecordBatch? _batch;
    private RecordBatch? _next;
    private int _row = -1;
    private bool _ended;
    private bool _closed;

    /// <summary>Reads ahead to the first batch so the columns are known; false when the stream has no batch.</summary>
    public async Task<bool> OpenAsync()
    {
        if (_schema is not null || _ended) return _schema is not null;
        if (await _batches.MoveNextAsync().ConfigureAwait(false))
        {
            _next = _batches.Current;
            _schema = _next.Schema;
            return true;
        }
        _ended = true;
        return false;
    }

    public override int FieldCount => _schema?.FieldsList.Count ?? 0;
    public override object this[int ordinal] => GetValue(ordinal);
    public override object this[string name] => GetValue(GetOrdinal(name));
    public override int RecordsAffected => -1;
    public override bool HasRows => _batch is not null || _next is { Length: > 0 };
    public override bool IsClosed => _closed;
    public override int Depth => 0;

    public override string GetName(int ordinal) => Field(ordinal).Name;
    public override string GetDataTypeName(int ordinal) => Field(ordinal).DataType.Name;
    public override Type GetFieldType(int ordinal) => ClrType(Field(ordinal).DataType);

    public override int GetOrdinal(string name)
    {
        for (var i = 0; i < FieldCount; i++)
            if (string.Equals(GetName(i), name, StringComparison.OrdinalIgnoreCase)) return i;
        throw new IndexOutOfRangeException($"no column '{name}'");
    }

    public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (_closed) throw new InvalidOperationException("the reader is closed");
        await OpenAsync().ConfigureAwait(false);
        while (_batch is null || ++_row >= _batch.Length)
        {
            _batch?.Dispose();
            _batch = null;
            _row = -1;
            if (_next is { } next) _next = null;
            else if (!_ended && await _batches.MoveNextAsync().ConfigureAwait(false)) next = _batches.Current;
            else
            {
                _ended = true;
                return false;
            }
            _batch = next;
        }
        return true;
    }

    public override bool Read() => ReadAsync(CancellationToken.None).GetAwaiter().GetResult();
    public override bool NextResult() => false;

    public override object GetValue(int ordinal) => Value(Column(ordinal), _row) ?? DBNull.Value;
    public override bool IsDBNull(int ordinal) => Column(ordinal).IsNull(_row);

    public override int GetValues(object[] values)
    {
        var n = Math.Min(values.Length, FieldCount);
        for (var i = 0; i < n; i++) values[i] = GetValue(i);
        return n;
    }

    public override bool GetBoolean(int ordinal) => Convert.ToBoolean(GetValue(ordinal), CultureInfo.InvariantCulture);
    public override byte GetByte(int ordinal) => Convert.ToByte(GetValue(ordinal), CultureInfo.InvariantCulture);
    public override char GetChar(int ordinal) => Convert.ToChar(GetValue(ordinal), CultureInfo.InvariantCulture);
    public override DateTime GetDateTime(int ordinal) => GetValue(ordinal) switch
    {
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        DateTimeOffset o => o.UtcDateTime,
        var v => Convert.ToDateTime(v, CultureInfo.InvariantCulture),
    };
    public override decimal GetDecimal(int ordinal) => Convert.ToDecimal(GetValue(ordinal), CultureInfo.InvariantCulture);
    public override double GetDouble(int ordinal) => Convert.ToDouble(GetValue(ordinal), CultureInfo.InvariantCulture);
    public override float GetFloat(int ordinal) => Convert.ToSingle(GetValue(ordinal), CultureInfo.InvariantCulture);
    public override Guid GetGuid(int ordinal) => GetValue(ordinal) is Guid g ? g : Guid.Parse(GetString(ordinal));
    public override short GetInt16(int ordinal) => Convert.ToInt16(GetValue(ordinal), CultureInfo.InvariantCulture);
    public override int GetInt32(int ordinal) => Convert.ToInt32(GetValue(ordinal), CultureInfo.InvariantCulture);
    public override long GetInt64(int ordinal) => Convert.ToInt64(GetValue(ordinal), CultureInfo.InvariantCulture);
    public override string GetString(int ordinal) => GetValue(ordinal) as string ?? Convert.ToString(GetValue(ordinal), CultureInfo.InvariantCulture) ?? "";

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var bytes = (byte[])GetValue(ordinal);
        if (buffer is null) return bytes.Length;
        var n = (int)Math.Max(0, Math.Min(length, bytes.Length - dataOffset));
        System.Array.Copy(bytes, dataOffset, buffer, bufferOffset, n);
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
        _batch?.Dispose();
        _next?.Dispose();
        await _batches.DisposeAsync().ConfigureAwait(false);
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

    /// <summary>The CLR type of an Arrow type's values (see the class remarks).</summary>
    public static Type ClrType(IArrowType type) => type.TypeId switch
    {
        ArrowTypeId.Boolean => typeof(bool),
        ArrowTypeId.Int8 => typeof(sbyte),
        ArrowTypeId.Int16 => typeof(short),
        ArrowTypeId.Int32 => typeof(int),
        ArrowTypeId.Int64 => typeof(long),
        ArrowTypeId.UInt8 => typeof(byte),
        ArrowTypeId.UInt16 => typeof(ushort),
        ArrowTypeId.UInt32 => typeof(uint),
        ArrowTypeId.UInt64 => typeof(ulong),
        ArrowTypeId.Float => typeof(float),
        ArrowTypeId.Double => typeof(double),
        ArrowTypeId.Decimal128 => typeof(decimal),
        ArrowTypeId.Binary => typeof(byte[]),
        ArrowTypeId.Date32 or ArrowTypeId.Date64 => typeof(DateOnly),
        ArrowTypeId.Timestamp => ((TimestampType)type).Timezone is { Length: > 0 } ? typeof(DateTimeOffset) : typeof(DateTime),
        ArrowTypeId.Duration => typeof(TimeSpan),
        ArrowTypeId.Time32 or ArrowTypeId.Time64 => typeof(TimeOnly),
        ArrowTypeId.List => typeof(object?[]),
        ArrowTypeId.Struct => typeof(Dictionary<string, object?>),
        ArrowTypeId.Map => typeof(Dictionary<object, object?>),
        _ => typeof(string),
    };

    /// <summary>The CLR value at a row of an array (null for a null).</summary>
    public static object? Value(IArrowArray array, int row)
    {
        if (array.IsNull(row)) return null;
        return array switch
        {
            BooleanArray a => a.GetValue(row),
            Int8Array a => a.GetValue(row),
            Int16Array a => a.GetValue(row),
            Int32Array a => a.GetValue(row),
            Int64Array a => a.GetValue(row),
            UInt8Array a => a.GetValue(row),
            UInt16Array a => a.GetValue(row),
            UInt32Array a => a.GetValue(row),
            UInt64Array a => a.GetValue(row),
            FloatArray a => a.GetValue(row),
            DoubleArray a => a.GetValue(row),
            Decimal128Array a => a.TryGetValue(row, out var d) ? d : a.GetString(row),
            StringArray a => a.GetString(row),
            LargeStringArray a => a.GetString(row),
            StringViewArray a => a.GetString(row),
            BinaryArray a => a.GetBytes(row).ToArray(),
            Date32Array a => a.GetDateOnly(row),
            Date64Array a => a.GetDateOnly(row),
            TimestampArray a => ((TimestampType)a.Data.DataType).Timezone is { Length: > 0 } ? a.GetTimestamp(row) : a.GetTimestamp(row)?.DateTime,
            DurationArray a => a.GetTimeSpan(row),
            Time32Array a => a.GetTime(row),
            Time64Array a => a.GetTime(row),
            MapArray a => Map(a, row),
            ListArray a => List(a, row),
            StructArray a => Struct(a, row),
            _ => ArrowJson.Value(array, row),
        };
    }

    private static object?[] List(ListArray list, int row)
    {
        var start = list.ValueOffsets[row];
        var values = new object?[list.ValueOffsets[row + 1] - start];
        for (var i = 0; i < values.Length; i++) values[i] = Value(list.Values, start + i);
        return values;
    }

    private static Dictionary<object, object?> Map(MapArray map, int row)
    {
        var result = new Dictionary<object, object?>();
        for (var i = map.ValueOffsets[row]; i < map.ValueOffsets[row + 1]; i++) result[Value(map.Keys, i)!] = Value(map.Values, i);
        return result;
    }

    private static Dictionary<string, object?> Struct(StructArray value, int row)
    {
        var fields = ((StructType)value.Data.DataType).Fields;
        var result = new Dictionary<string, object?>(fields.Count);
        for (var f = 0; f < fields.Count; f++) result[fields[f].Name] = Value(value.Fields[f], row);
        return result;
    }

    private Field Field(int ordinal) => (_schema ?? throw new InvalidOperationException("the reader has no columns before it is opened")).FieldsList[ordinal];

    private IArrowArray Column(int ordinal) =>
        _batch is { } batch && _row >= 0 ? batch.Column(ordinal) : throw new InvalidOperationException("no current row: call Read first");
}
