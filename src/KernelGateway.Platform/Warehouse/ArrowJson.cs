using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Apache.Arrow;

namespace KernelGateway.Platform.Warehouse;

/// <summary>
/// One value of an Arrow array as JSON text, for the columns a DataFrame has no type for (structs, lists, maps):
/// a struct is an object of its fields, a list an array, a map an object keyed by the keys' text; numbers are
/// numbers (NaN and infinities null, as JSON has none), decimals their exact digits, binary base64, dates,
/// times and timestamps ISO 8601 strings.
/// </summary>
public static class ArrowJson
{
    private const int MaxDepth = 64;
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>The value at <paramref name="index"/> as JSON text (<c>null</c> for a null).</summary>
    public static string Value(IArrowArray array, int index)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options)) Write(writer, array, index, 0);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter w, IArrowArray array, int i, int depth)
    {
        if (array.IsNull(i) || depth > MaxDepth) { w.WriteNullValue(); return; }
        switch (array)
        {
            case BooleanArray a: w.WriteBooleanValue(a.GetValue(i)!.Value); break;
            case Int8Array a: w.WriteNumberValue(a.GetValue(i)!.Value); break;
            case Int16Array a: w.WriteNumberValue(a.GetValue(i)!.Value); break;
            case Int32Array a: w.WriteNumberValue(a.GetValue(i)!.Value); break;
            case Int64Array a: w.WriteNumberValue(a.GetValue(i)!.Value); break;
            case UInt8Array a: w.WriteNumberValue(a.GetValue(i)!.Value); break;
            case UInt16Array a: w.WriteNumberValue(a.GetValue(i)!.Value); break;
            case UInt32Array a: w.WriteNumberValue(a.GetValue(i)!.Value); break;
            case UInt64Array a: w.WriteNumberValue(a.GetValue(i)!.Value); break;
            case FloatArray a: WriteDouble(w, a.GetValue(i)!.Value); break;
            case DoubleArray a: WriteDouble(w, a.GetValue(i)!.Value); break;
            case Decimal128Array a: w.WriteRawValue(a.GetString(i), skipInputValidation: true); break;
            case StringArray a: w.WriteStringValue(a.GetString(i)); break;
            case BinaryArray a: w.WriteBase64StringValue(a.GetBytes(i)); break;
            case Date32Array a: WriteDate(w, a.GetValue(i)!.Value); break;
            case TimestampArray a: WriteTimestamp(w, a, i); break;
            case Time64Array a: w.WriteStringValue(a.GetTime(i)!.Value.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.')); break;
            case Time32Array a: w.WriteStringValue(a.GetTime(i)!.Value.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.')); break;
            case MapArray a: WriteMap(w, a, i, depth); break;
            case ListArray a: WriteList(w, a, i, depth); break;
            case StructArray a: WriteStruct(w, a, i, depth); break;
            default: w.WriteStringValue(array.Data.DataType.Name); break;
        }
    }

    private static void WriteDouble(Utf8JsonWriter w, double d)
    {
        if (double.IsFinite(d)) w.WriteNumberValue(d);
        else w.WriteNullValue();
    }

    /// <summary>A date32 as <c>yyyy-MM-dd</c>; beyond .NET's years 1-9999, its count of days since 1970-01-01.</summary>
    private static void WriteDate(Utf8JsonWriter w, int days)
    {
        var dayNumber = (long)days + DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
        if (dayNumber >= DateOnly.MinValue.DayNumber && dayNumber <= DateOnly.MaxValue.DayNumber)
            w.WriteStringValue(DateOnly.FromDayNumber((int)dayNumber).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        else w.WriteNumberValue(days);
    }

    /// <summary>A timestamp in ISO 8601 (<c>O</c>); beyond .NET's years 1-9999, its count of units since 1970-01-01.</summary>
    private static void WriteTimestamp(Utf8JsonWriter w, TimestampArray array, int i)
    {
        var value = array.GetValue(i)!.Value;
        Int128 ticks = ((Apache.Arrow.Types.TimestampType)array.Data.DataType).Unit switch
        {
            Apache.Arrow.Types.TimeUnit.Second => (Int128)value * TimeSpan.TicksPerSecond,
            Apache.Arrow.Types.TimeUnit.Millisecond => (Int128)value * TimeSpan.TicksPerMillisecond,
            Apache.Arrow.Types.TimeUnit.Microsecond => (Int128)value * 10,
            _ => value / 100,
        };
        ticks += DateTime.UnixEpoch.Ticks;
        if (ticks >= DateTime.MinValue.Ticks && ticks <= DateTime.MaxValue.Ticks)
            w.WriteStringValue(array.GetTimestamp(i)!.Value.ToString("O", CultureInfo.InvariantCulture));
        else w.WriteNumberValue(value);
    }

    private static void WriteList(Utf8JsonWriter w, ListArray list, int i, int depth)
    {
        w.WriteStartArray();
        for (var j = list.ValueOffsets[i]; j < list.ValueOffsets[i + 1]; j++) Write(w, list.Values, j, depth + 1);
        w.WriteEndArray();
    }

    private static void WriteMap(Utf8JsonWriter w, MapArray map, int i, int depth)
    {
        w.WriteStartObject();
        for (var j = map.ValueOffsets[i]; j < map.ValueOffsets[i + 1]; j++)
        {
            w.WritePropertyName(map.Keys is StringArray keys ? keys.GetString(j) : Value(map.Keys, j).Trim('"'));
            Write(w, map.Values, j, depth + 1);
        }
        w.WriteEndObject();
    }

    private static void WriteStruct(Utf8JsonWriter w, StructArray row, int i, int depth)
    {
        var fields = ((Apache.Arrow.Types.StructType)row.Data.DataType).Fields;
        w.WriteStartObject();
        for (var f = 0; f < fields.Count; f++)
        {
            w.WritePropertyName(fields[f].Name);
            Write(w, row.Fields[f], i, depth + 1);
        }
        w.WriteEndObject();
    }
}
