using System.Numerics;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Results;

/// <summary>
/// Builds one Arrow array of a Spark type from values in the form <see cref="DuckValues"/> gives them, for one record
/// batch. Nested types build their children recursively.
/// </summary>
internal abstract class ArrowColumn(IArrowType type)
{
    private readonly ArrowBuffer.BitmapBuilder _validity = new();

    public IArrowType Type { get; } = type;

    public int Length { get; private set; }

    public int NullCount { get; private set; }

    /// <summary>About how many bytes the values take so far (for Spark's batch size limit).</summary>
    public long Bytes { get; protected set; }

    public static ArrowColumn For(SparkType t, string timeZone)
    {
        var arrow = t.ToArrow(timeZone);
        return t.Kind switch
        {
            SparkKind.Null => new NullColumn(),
            SparkKind.Boolean => new BooleanColumn(),
            SparkKind.Byte => new FixedColumn<sbyte>(arrow),
            SparkKind.Short => new FixedColumn<short>(arrow),
            SparkKind.Integer or SparkKind.Date => new FixedColumn<int>(arrow),
            SparkKind.Long or SparkKind.Timestamp or SparkKind.TimestampNtz or SparkKind.DayTimeInterval => new FixedColumn<long>(arrow),
            SparkKind.Float => new FixedColumn<float>(arrow),
            SparkKind.Double => new FixedColumn<double>(arrow),
            SparkKind.Decimal => new DecimalColumn(arrow),
            SparkKind.String or SparkKind.Binary => new VariableColumn(arrow),
            SparkKind.Array => new ListColumn(arrow, For(t.Element!, timeZone)),
            SparkKind.Map => new MapColumn(arrow, For(t.Key!, timeZone), For(t.Value!, timeZone)),
            _ => new StructColumn(arrow, t.Fields!.Select(f => For(f.Type, timeZone)).ToArray()),
        };
    }

    public void Append(object? value)
    {
        Length++;
        _validity.Append(value is not null);
        if (value is null)
        {
            NullCount++;
            AppendEmpty();
        }
        else
        {
            AppendValue(value);
        }
    }

    protected abstract void AppendValue(object value);

    protected abstract void AppendEmpty();

    protected abstract ArrowBuffer[] ValueBuffers();

    protected virtual ArrayData[] Children() => [];

    public virtual ArrayData BuildData() =>
        new(Type, Length, NullCount, 0, [NullCount == 0 ? ArrowBuffer.Empty : _validity.Build(), .. ValueBuffers()], Children());

    public IArrowArray Build() => ArrowArrayFactory.BuildArray(BuildData());
}

internal sealed class NullColumn() : ArrowColumn(NullType.Default)
{
    protected override void AppendValue(object value) { }

    protected override void AppendEmpty() { }

    protected override ArrowBuffer[] ValueBuffers() => [];

    public override ArrayData BuildData() => new NullArray(Length).Data;
}

internal sealed class FixedColumn<T>(IArrowType type) : ArrowColumn(type) where T : struct
{
    private readonly ArrowBuffer.Builder<T> _values = new();

    protected override void AppendValue(object value)
    {
        _values.Append((T)value);
        Bytes += System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
    }

    protected override void AppendEmpty() => _values.Append(default(T));

    protected override ArrowBuffer[] ValueBuffers() => [_values.Build()];
}

internal sealed class BooleanColumn() : ArrowColumn(BooleanType.Default)
{
    private readonly ArrowBuffer.BitmapBuilder _values = new();

    protected override void AppendValue(object value)
    {
        _values.Append((bool)value);
        Bytes++;
    }

    protected override void AppendEmpty() => _values.Append(false);

    protected override ArrowBuffer[] ValueBuffers() => [_values.Build()];
}

/// <summary>Decimal128: the unscaled value as 16 bytes of little-endian two's complement.</summary>
internal sealed class DecimalColumn(IArrowType type) : ArrowColumn(type)
{
    private readonly ArrowBuffer.Builder<byte> _values = new();

    protected override void AppendValue(object value)
    {
        Span<byte> bytes = stackalloc byte[16];
        var unscaled = (BigInteger)value;
        bytes.Fill(unscaled.Sign < 0 ? (byte)0xFF : (byte)0);
        if (!unscaled.TryWriteBytes(bytes, out _, isUnsigned: false, isBigEndian: false)) throw new OverflowException($"decimal beyond 38 digits: {unscaled}");
        _values.Append(bytes);
        Bytes += 16;
    }

    protected override void AppendEmpty() => _values.Append(new byte[16]);

    protected override ArrowBuffer[] ValueBuffers() => [_values.Build()];
}

/// <summary>Utf8 (strings, as UTF-8) and Binary: offsets and data.</summary>
internal sealed class VariableColumn(IArrowType type) : ArrowColumn(type)
{
    private readonly ArrowBuffer.Builder<int> _offsets = new ArrowBuffer.Builder<int>().Append(0);
    private readonly ArrowBuffer.Builder<byte> _data = new();

    protected override void AppendValue(object value)
    {
        var bytes = value as byte[] ?? Encoding.UTF8.GetBytes((string)value);
        _data.Append(bytes);
        _offsets.Append(_data.Length);
        Bytes += bytes.Length + 4;
    }

    protected override void AppendEmpty() => _offsets.Append(_data.Length);

    protected override ArrowBuffer[] ValueBuffers() => [_offsets.Build(), _data.Build()];
}

internal sealed class ListColumn(IArrowType type, ArrowColumn element) : ArrowColumn(type)
{
    private readonly ArrowBuffer.Builder<int> _offsets = new ArrowBuffer.Builder<int>().Append(0);

    protected override void AppendValue(object value)
    {
        foreach (var item in (IEnumerable<object?>)value) element.Append(item);
        _offsets.Append(element.Length);
        Bytes = element.Bytes + 4L * Length;
    }

    protected override void AppendEmpty() => _offsets.Append(element.Length);

    protected override ArrowBuffer[] ValueBuffers() => [_offsets.Build()];

    protected override ArrayData[] Children() => [element.BuildData()];
}

/// <summary>Structs: a field array per value (see <see cref="JsonValues"/>); a null struct has null fields.</summary>
internal sealed class StructColumn(IArrowType type, ArrowColumn[] fields) : ArrowColumn(type)
{
    protected override void AppendValue(object value)
    {
        var values = (object?[])value;
        for (var i = 0; i < fields.Length; i++) fields[i].Append(values[i]);
        Bytes = fields.Sum(f => f.Bytes);
    }

    protected override void AppendEmpty()
    {
        foreach (var f in fields) f.Append(null);
    }

    protected override ArrowBuffer[] ValueBuffers() => [];

    protected override ArrayData[] Children() => fields.Select(f => f.BuildData()).ToArray();
}

/// <summary>Maps: offsets into a non-null "entries" struct of "key" and "value", as Arrow (and Spark) lay them out.</summary>
internal sealed class MapColumn(IArrowType type, ArrowColumn keys, ArrowColumn values) : ArrowColumn(type)
{
    private readonly ArrowBuffer.Builder<int> _offsets = new ArrowBuffer.Builder<int>().Append(0);

    protected override void AppendValue(object value)
    {
        foreach (var (k, v) in (IEnumerable<KeyValuePair<object, object?>>)value)
        {
            keys.Append(k);
            values.Append(v);
        }
        _offsets.Append(keys.Length);
        Bytes = keys.Bytes + values.Bytes + 4L * Length;
    }

    protected override void AppendEmpty() => _offsets.Append(keys.Length);

    protected override ArrowBuffer[] ValueBuffers() => [_offsets.Build()];

    protected override ArrayData[] Children()
    {
        var entriesType = ((MapType)Type).KeyValueType;
        var entries = new ArrayData(entriesType, keys.Length, 0, 0, [ArrowBuffer.Empty], [keys.BuildData(), values.BuildData()]);
        return [entries];
    }
}
