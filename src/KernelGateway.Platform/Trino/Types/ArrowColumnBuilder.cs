using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// Appends values of one Trino type to one Arrow column, for <see cref="TrinoArrowBatchBuilder"/>: decoded values
/// (<see cref="Append"/>), or JSON values straight from a page (<see cref="AppendJson"/>), which scalar columns
/// store without boxing (numbers from the reader, dates and timestamps parsed in place, strings as their UTF-8
/// bytes) and everything else decodes with <see cref="TrinoType.Read"/> first. Made by <see cref="For"/> from the
/// type's <see cref="TrinoType.ArrowType"/>; nested types nest builders. <see cref="Build"/> hands out the column
/// and starts an empty one.
/// </summary>
internal abstract class ArrowColumnBuilder(TrinoType trinoType)
{
    /// <summary>The Trino type of the values.</summary>
    protected TrinoType TrinoType => trinoType;

    /// <summary>The Arrow type of the column.</summary>
    public abstract IArrowType Type { get; }

    /// <summary>Appends a decoded value (or null).</summary>
    public abstract void Append(object? value);

    /// <summary>Appends the JSON value the reader is on (left on its last token, as <see cref="TrinoType.Read"/> does).</summary>
    public virtual void AppendJson(ref Utf8JsonReader reader) => Append(trinoType.Read(ref reader));

    /// <summary>The column appended so far; the builder is empty afterwards.</summary>
    public abstract ArrayData Build();

    /// <summary>The builder of a column of this type.</summary>
    public static ArrowColumnBuilder For(TrinoType type) => type.ArrowType switch
    {
        BooleanType => new BooleanColumnBuilder(type),
        Int8Type t => new FixedWidthColumnBuilder<sbyte>(type, t, v => v as sbyte? ?? Convert.ToSByte(v, Invariant), ArrowJsonValues.SByte),
        Int16Type t => new FixedWidthColumnBuilder<short>(type, t, v => v as short? ?? Convert.ToInt16(v, Invariant), ArrowJsonValues.Int16),
        Int32Type t => new FixedWidthColumnBuilder<int>(type, t, v => v as int? ?? Convert.ToInt32(v, Invariant), ArrowJsonValues.Int32),
        Int64Type t => new FixedWidthColumnBuilder<long>(type, t, v => v as long? ?? Convert.ToInt64(v, Invariant), ArrowJsonValues.Int64),
        FloatType t => new FixedWidthColumnBuilder<float>(type, t, v => v as float? ?? Convert.ToSingle(v, Invariant), ArrowJsonValues.Single),
        DoubleType t => new FixedWidthColumnBuilder<double>(type, t, v => v as double? ?? Convert.ToDouble(v, Invariant), ArrowJsonValues.Double),
        Decimal128Type t => new DecimalColumnBuilder(type, t),
        Date32Type t => new FixedWidthColumnBuilder<int>(type, t, ArrowValues.EpochDay, ArrowJsonValues.EpochDay),
        Time64Type { Unit: TimeUnit.Microsecond } t => new FixedWidthColumnBuilder<long>(type, t, ArrowValues.Microseconds, ArrowJsonValues.Microseconds),
        Time64Type t => new FixedWidthColumnBuilder<long>(type, t, ArrowValues.Nanoseconds, ArrowJsonValues.Nanoseconds),
        TimestampType { Timezone: null } t => new FixedWidthColumnBuilder<long>(type, t, v => ArrowValues.EpochMicros(v, withZone: false), ArrowJsonValues.EpochMicros),
        TimestampType t => new FixedWidthColumnBuilder<long>(type, t, v => ArrowValues.EpochMicros(v, withZone: true), ArrowJsonValues.EpochMicrosWithZone),
        BinaryType or StringType => new VariableWidthColumnBuilder(type),
        ListType t => new ListColumnBuilder(type, t, For(type.ElementType!)),
        StructType t => new StructColumnBuilder(type, t, [.. type.FieldTypes.Select(For)]),
        MapType t => new MapColumnBuilder(type, t, For(type.KeyType!), For(type.ValueType!)),
        var t => throw new NotSupportedException($"no Arrow column builder for {t.Name}"),
    };

    private static IFormatProvider Invariant => System.Globalization.CultureInfo.InvariantCulture;
}

/// <summary>
/// Values of a fixed width (integers, floats, days, times, timestamps): decoded values converted by
/// <c>convert</c>, JSON values read by <c>readJson</c> (which declines what it does not read in place).
/// </summary>
internal sealed class FixedWidthColumnBuilder<T>(TrinoType trinoType, IArrowType type, Func<object, T> convert, ArrowJsonValues.Reader<T> readJson)
    : ArrowColumnBuilder(trinoType) where T : unmanaged
{
    private readonly ArrowValidity _validity = new();
    private readonly ArrowBytes _values = new();

    public override IArrowType Type => type;

    public override void Append(object? value)
    {
        var converted = value is null ? default : convert(value); // first: a value that fails leaves the column as it was
        _validity.Append(value is not null);
        _values.Append(converted);
    }

    public override void AppendJson(ref Utf8JsonReader reader)
    {
        if (readJson(ref reader, out var value))
        {
            _validity.Append(true);
            _values.Append(value);
        }
        else Append(TrinoType.Read(ref reader));
    }

    public override ArrayData Build()
    {
        var (length, nulls) = (_validity.Length, _validity.NullCount);
        return new ArrayData(type, length, nulls, 0, [_validity.Build(), _values.Build()]);
    }
}

/// <summary>Booleans, a bit each.</summary>
internal sealed class BooleanColumnBuilder(TrinoType trinoType) : ArrowColumnBuilder(trinoType)
{
    private readonly ArrowValidity _validity = new();
    private readonly ArrowBits _values = new();

    public override IArrowType Type => BooleanType.Default;

    public override void Append(object? value)
    {
        _validity.Append(value is not null);
        _values.Append(value is bool b && b);
    }

    public override void AppendJson(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
        {
            _validity.Append(true);
            _values.Append(reader.TokenType == JsonTokenType.True);
        }
        else Append(TrinoType.Read(ref reader));
    }

    public override ArrayData Build()
    {
        var (length, nulls) = (_validity.Length, _validity.NullCount);
        return new ArrayData(Type, length, nulls, 0, [_validity.Build(), _values.Build()]);
    }
}

/// <summary>
/// decimal128: 16-byte little-endian two's complement integers at the column's scale, from <see cref="decimal"/>
/// values, or from the exact text of wider ones.
/// </summary>
internal sealed class DecimalColumnBuilder(TrinoType trinoType, Decimal128Type type) : ArrowColumnBuilder(trinoType)
{
    private readonly ArrowValidity _validity = new();
    private readonly ArrowBytes _values = new();

    public override IArrowType Type => type;

    public override void Append(object? value)
    {
        var unscaled = value switch
        {
            null => Int128.Zero,
            decimal m => ArrowDecimals.Unscaled(m, type.Scale),
            string s => ArrowDecimals.Unscaled(System.Text.Encoding.UTF8.GetBytes(s), type.Scale) ?? throw new ArgumentException($"'{s}' is not a decimal of scale {type.Scale}"),
            _ => ArrowDecimals.Unscaled(Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture), type.Scale),
        };
        _validity.Append(value is not null);
        _values.Append(unscaled);
    }

    public override void AppendJson(ref Utf8JsonReader reader)
    {
        if (ArrowJsonValues.IsPlainString(ref reader) && ArrowDecimals.Unscaled(reader.ValueSpan, type.Scale) is { } unscaled)
        {
            _validity.Append(true);
            _values.Append(unscaled);
        }
        else Append(TrinoType.Read(ref reader));
    }

    public override ArrayData Build()
    {
        var (length, nulls) = (_validity.Length, _validity.NullCount);
        return new ArrayData(type, length, nulls, 0, [_validity.Build(), _values.Build()]);
    }
}

/// <summary>
/// utf8 (strings, and the Trino text of values Arrow has no type for) or binary. A JSON string of a string-like
/// type goes in as its UTF-8 bytes, never becoming a <see cref="string"/>.
/// </summary>
internal sealed class VariableWidthColumnBuilder(TrinoType trinoType) : ArrowColumnBuilder(trinoType)
{
    private readonly ArrowValidity _validity = new();
    private readonly bool _textAsSent = trinoType.Kind is TrinoKind.Varchar or TrinoKind.Json or TrinoKind.Unknown or TrinoKind.TimeText
        or TrinoKind.TimeWithTimeZoneText or TrinoKind.TimestampText or TrinoKind.TimestampWithTimeZoneText or TrinoKind.IntervalDayToSecondText;
    private readonly ArrowBytes _offsets = NewOffsets();
    private readonly ArrowBytes _bytes = new();

    public override IArrowType Type => TrinoType.ArrowType;

    public override void Append(object? value)
    {
        _validity.Append(value is not null);
        switch (value)
        {
            case null: break;
            case byte[] bytes: _bytes.Append(bytes); break;
            default: ArrowValues.AppendUtf8(value, _bytes); break;
        }
        _offsets.Append(_bytes.Length);
    }

    public override void AppendJson(ref Utf8JsonReader reader)
    {
        if (!_textAsSent || reader.TokenType != JsonTokenType.String)
        {
            Append(TrinoType.Read(ref reader));
            return;
        }
        _validity.Append(true);
        ArrowJsonValues.AppendString(ref reader, _bytes);
        _offsets.Append(_bytes.Length);
    }

    public override ArrayData Build()
    {
        var (length, nulls) = (_validity.Length, _validity.NullCount);
        var data = new ArrayData(Type, length, nulls, 0, [_validity.Build(), _offsets.Build(), _bytes.Build()]);
        _offsets.Append(0);
        return data;
    }

    /// <summary>Offsets start with the start of the first value.</summary>
    internal static ArrowBytes NewOffsets()
    {
        var offsets = new ArrowBytes();
        offsets.Append(0);
        return offsets;
    }
}
