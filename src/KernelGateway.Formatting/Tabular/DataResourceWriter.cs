using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace KernelGateway.Formatting.Tabular;

/// <summary>
/// Writes a data resource document (schema, then rows) as UTF-8 straight into one pooled buffer. How a column is
/// written is decided once from its .NET type, so a common cell (an integer, double, boolean, date or plain string)
/// costs one type test and a few stores: prebuilt property names (<c>{"name":</c>, <c>,"name":</c>) copied a word at
/// a time, integers two digits at a time, few-decimal doubles from an exact integer scaling, short ASCII strings a
/// byte per char. Everything else, and every string that needs escaping, is written by <see cref="Utf8JsonWriter"/>
/// into the same buffer, so the document is byte for byte what writing it all with <see cref="Utf8JsonWriter"/>
/// (relaxed escaping) gives; the tests hold it to that.
/// </summary>
internal sealed class DataResourceWriter : IBufferWriter<byte>, IDisposable
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    private static readonly JsonWriterOptions JsonOptions = new() { SkipValidation = true, Encoder = Encoder };

    // The longest text of one fixed-size value: a double ("-1.7976931348623157E+308", 24), a decimal
    // ("-79228162514264337593543950335", 30), a DateTimeOffset in "O" quoted (35), a Guid quoted (38).
    private const int MaxFixedValueBytes = 40;

    private byte[] _buffer;
    private int _position;
    private int _rowReserve; // room for one row's names and fixed-size values
    private Utf8JsonWriter? _json;

    private DataResourceWriter(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    private enum Kind : byte { Other, Int64, Int32, Int16, Byte, Double, Single, Decimal, Boolean, String, DateOnly, DateTime, DateTimeOffset, Guid }

    /// <summary>The whole data resource document: the schema, then the first <paramref name="rows"/> rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per display: no time in tier 0
    public static byte[] Write(TabularResult table, int rows)
    {
        var fields = table.Fields;
        var kinds = new Kind[fields.Count];
        var names = new byte[fields.Count][];
        var lengths = new int[fields.Count];
        var rowFixed = 2;
        for (var c = 0; c < fields.Count; c++)
        {
            kinds[c] = KindOf(fields[c].ClrType);
            var encoded = JsonEncodedText.Encode(fields[c].Name, Encoder).EncodedUtf8Bytes;
            var length = encoded.Length + 4;
            var name = new byte[(length + 7) & ~7]; // whole 8-byte words, copied as such (the padding is overwritten next)
            name[0] = c == 0 ? (byte)'{' : (byte)',';
            name[1] = (byte)'"';
            encoded.CopyTo(name.AsSpan(2));
            name[length - 2] = (byte)'"';
            name[length - 1] = (byte)':';
            names[c] = name;
            lengths[c] = length;
            rowFixed += name.Length + MaxFixedValueBytes;
        }

        using var w = new DataResourceWriter(4096 + rows * Math.Min(rowFixed, 256)) { _rowReserve = rowFixed };
        w.WriteHeader(table);
        w.WriteAscii("\"data\":[");
        var all = table.Rows;
        for (var r = 0; r < rows; r++)
        {
            var row = all[r];
            if (r > 0) w.WriteByte((byte)',');
            w.Ensure(rowFixed);
            for (var c = 0; c < names.Length; c++)
            {
                w.WriteName(names[c], lengths[c]);
                w.WriteCell(kinds[c], row[c]);
            }
            if (names.Length == 0) w.WriteByte((byte)'{');
            w.WriteByte((byte)'}');
        }
        w.WriteAscii("]}");
        return w.ToArray();
    }

    /// <summary>A prebuilt <c>{"name":</c> or <c>,"name":</c>, a word at a time; room for its padded length is there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteName(byte[] name, int length)
    {
        ref var destination = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), _position);
        ref var source = ref MemoryMarshal.GetArrayDataReference(name);
        for (var i = 0; i < name.Length; i += 8)
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, i), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, i)));
        _position += length;
    }

    private static Kind KindOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(long)) return Kind.Int64;
        if (type == typeof(int)) return Kind.Int32;
        if (type == typeof(short)) return Kind.Int16;
        if (type == typeof(byte)) return Kind.Byte;
        if (type == typeof(double)) return Kind.Double;
        if (type == typeof(float)) return Kind.Single;
        if (type == typeof(decimal)) return Kind.Decimal;
        if (type == typeof(bool)) return Kind.Boolean;
        if (type == typeof(string)) return Kind.String;
        if (type == typeof(DateOnly)) return Kind.DateOnly;
        if (type == typeof(DateTime)) return Kind.DateTime;
        if (type == typeof(DateTimeOffset)) return Kind.DateTimeOffset;
        if (type == typeof(Guid)) return Kind.Guid;
        return Kind.Other;
    }

    /// <summary>One cell; room for the rest of the row's names and fixed-size values is already there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteCell(Kind kind, object? value)
    {
        if (value is null) { WriteNull(); return; }
        // The column's type first (one test), then any type: a column declared object may hold anything.
        switch (kind)
        {
            case Kind.Int64 when value is long l: WriteInteger(l); return;
            case Kind.Int32 when value is int i: WriteInteger(i); return;
            case Kind.Int16 when value is short s: WriteInteger(s); return;
            case Kind.Byte when value is byte b: WriteInteger(b); return;
            case Kind.Double when value is double d: WriteDouble(d); return;
            case Kind.Single when value is float f: WriteSingle(f); return;
            case Kind.Decimal when value is decimal m: Format(m); return;
            case Kind.Boolean when value is bool b: WriteBoolean(b); return;
            case Kind.String when value is string s: WriteString(s); return;
            case Kind.DateOnly when value is DateOnly date: WriteDate(date); return;
            case Kind.DateTime when value is DateTime dt: WriteDateTime(dt); return;
            case Kind.DateTimeOffset when value is DateTimeOffset dto: WriteQuoted(dto, "O"); return;
            case Kind.Guid when value is Guid g: WriteQuoted(g, "D"); return;
        }
        switch (value)
        {
            case long l: WriteInteger(l); return;
            case int i: WriteInteger(i); return;
            case double d: WriteDouble(d); return;
            case bool b: WriteBoolean(b); return;
            case string s: WriteString(s); return;
            case DateOnly date: WriteDate(date); return;
            case DateTime dt: WriteDateTime(dt); return;
            case decimal m: Format(m); return;
        }
        WriteWithJsonWriter(value);
    }

    // "null", "true", "fals" as one 4-byte store each (in memory order, whatever the machine's byte order).
    private static readonly uint Null = BitConverter.ToUInt32("null"u8);
    private static readonly uint True = BitConverter.ToUInt32("true"u8);
    private static readonly uint Fals = BitConverter.ToUInt32("fals"u8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteNull()
    {
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), _position), Null);
        _position += 4;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteBoolean(bool b)
    {
        ref var destination = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), _position);
        if (b)
        {
            Unsafe.WriteUnaligned(ref destination, True);
            _position += 4;
        }
        else
        {
            Unsafe.WriteUnaligned(ref destination, Fals);
            Unsafe.Add(ref destination, 4) = (byte)'e';
            _position += 5;
        }
    }

    private void Format<T>(T value) where T : IUtf8SpanFormattable
    {
        if (!value.TryFormat(_buffer.AsSpan(_position), out var written, default, CultureInfo.InvariantCulture))
            throw new InvalidOperationException("the buffer was not grown before a value");
        _position += written;
    }

    private static readonly double[] PowersOfTen = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

    // JSON has no NaN/Infinity: null, as pandas writes.
    private void WriteDouble(double d)
    {
        if (!double.IsFinite(d)) WriteNull();
        else if (!TryWriteShortDecimal(d)) Format(d);
    }

    /// <summary>
    /// The shortest round-trip text of a double, as <see cref="double.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>
    /// writes it, for the common case of a value with few decimals (prices, percentages, measurements)
    /// between 0.001 and 10^15, where .NET writes fixed notation: the smallest k for which
    /// m = round(d * 10^k) gives back d exactly as m / 10^k (both exact doubles, so that division rounds exactly as
    /// parsing the text "m with k decimals" does) has the fewest significant digits of any text that round-trips,
    /// and it is the only k-decimal candidate because |d| * 10^k &lt; 10^15 keeps d's spacing far below 10^-k.
    /// Anything else (zero, tiny or huge magnitudes, more than 9 decimals) returns false for the general formatter.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per display: no time in tier 0
    private bool TryWriteShortDecimal(double d)
    {
        var abs = Math.Abs(d);
        if (!(abs >= 1e-3 && abs < 1e15)) return false;
        for (var k = 0; k < PowersOfTen.Length; k++)
        {
            var p = PowersOfTen[k];
            var scaled = abs * p;
            if (scaled >= 1e15) return false;
            var m = Math.Round(scaled);
            if (m / p != abs) continue;
            var digits = (ulong)m;
            if (d < 0) _buffer[_position++] = (byte)'-';
            if (k == 0)
            {
                WriteInteger((long)digits);
                return true;
            }
            // digits has no trailing zero (else k - 1 would have round-tripped); insert the point k digits from the end.
            var length = CountDigits(digits);
            var span = _buffer.AsSpan(_position);
            int end;
            if (length > k)
            {
                end = length + 1;
                var point = length - k;
                WriteDigits(span[..point], digits / (ulong)PowersOfTen[k], point);
                span[point] = (byte)'.';
                WriteDigits(span.Slice(point + 1, k), digits % (ulong)PowersOfTen[k], k);
            }
            else
            {
                end = k + 2;
                span[0] = (byte)'0';
                span[1] = (byte)'.';
                WriteDigits(span.Slice(2, k), digits, k);
            }
            _position += end;
            return true;
        }
        return false;
    }

    // "00" to "99", two bytes each.
    private static readonly byte[] TwoDigits = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 100).Select(i => i.ToString("00", CultureInfo.InvariantCulture))));

    // 10^0 to 10^19.
    private static readonly ulong[] PowersOfTenInteger = [.. Enumerable.Range(0, 20).Select(i => i == 0 ? 1UL : checked((ulong)Math.Pow(10, i)))];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CountDigits(ulong value)
    {
        // log10 from log2 (1233 / 4096 ~ log10(2)), corrected by one comparison; value | 1 makes 0 one digit
        // and changes no other count (every power of ten above 1 is even).
        value |= 1;
        var t = (64 - BitOperations.LeadingZeroCount(value)) * 1233 >> 12;
        return t - (value < PowersOfTenInteger[t] ? 1 : 0) + 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteInteger(long value)
    {
        ulong magnitude;
        if (value < 0)
        {
            _buffer[_position++] = (byte)'-';
            magnitude = (ulong)(-(value + 1)) + 1; // long.MinValue too
        }
        else magnitude = (ulong)value;
        var length = CountDigits(magnitude);
        WriteDigits(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), _position), magnitude, length);
        _position += length;
    }

    private static void WriteDigits(Span<byte> destination, ulong value, int count)
    {
        if (count > destination.Length) throw new ArgumentOutOfRangeException(nameof(count));
        WriteDigits(ref MemoryMarshal.GetReference(destination), value, count);
    }

    /// <summary>The last <paramref name="count"/> digits of <paramref name="value"/>, zero-padded on the left, two at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteDigits(ref byte destination, ulong value, int count)
    {
        ref var pairs = ref MemoryMarshal.GetArrayDataReference(TwoDigits);
        var i = count;
        while (i >= 2)
        {
            var q = value / 100;
            var pair = (int)(value - q * 100);
            value = q;
            i -= 2;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, i), Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref pairs, pair * 2)));
        }
        if (i == 1) destination = (byte)('0' + (int)(value % 10));
    }

    private void WriteSingle(float f)
    {
        if (float.IsFinite(f)) Format(f);
        else WriteNull();
    }

    private void WriteQuoted<T>(T value, string format) where T : IUtf8SpanFormattable
    {
        _buffer[_position++] = (byte)'"';
        if (!value.TryFormat(_buffer.AsSpan(_position), out var written, format, CultureInfo.InvariantCulture))
            throw new InvalidOperationException("the buffer was not grown before a value");
        _position += written;
        _buffer[_position++] = (byte)'"';
    }

    // The quoted text of recent dates, by day number modulo 512: a date column usually holds few distinct days.
    private const int DateSlots = 512;
    private int[]? _dateKeys; // day number + 1; 0 is an empty slot
    private ulong[]? _dateHeads; // "\"yyyy-MM"
    private uint[]? _dateTails; // "-dd\""

    /// <summary><c>"yyyy-MM-dd"</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteDate(DateOnly date)
    {
        _dateKeys ??= new int[DateSlots];
        _dateHeads ??= new ulong[DateSlots];
        _dateTails ??= new uint[DateSlots];
        ref var destination = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), _position);
        var key = date.DayNumber + 1;
        var slot = key & (DateSlots - 1);
        if (_dateKeys[slot] == key)
        {
            Unsafe.WriteUnaligned(ref destination, _dateHeads[slot]);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, 8), _dateTails[slot]);
        }
        else
        {
            var span = _buffer.AsSpan(_position, 12);
            date.Deconstruct(out var y, out var m, out var d);
            span[0] = (byte)'"';
            span[1] = (byte)('0' + y / 1000);
            span[2] = (byte)('0' + y / 100 % 10);
            span[3] = (byte)('0' + y / 10 % 10);
            span[4] = (byte)('0' + y % 10);
            span[5] = (byte)'-';
            span[6] = (byte)('0' + m / 10);
            span[7] = (byte)('0' + m % 10);
            span[8] = (byte)'-';
            span[9] = (byte)('0' + d / 10);
            span[10] = (byte)('0' + d % 10);
            span[11] = (byte)'"';
            _dateHeads[slot] = Unsafe.ReadUnaligned<ulong>(ref destination);
            _dateTails[slot] = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref destination, 8));
            _dateKeys[slot] = key;
        }
        _position += 12;
    }

    /// <summary>Local time without an offset when the kind is unspecified (no trailing zero fraction), else ISO 8601 round trip.</summary>
    private void WriteDateTime(DateTime dt)
    {
        _buffer[_position++] = (byte)'"';
        var format = dt.Kind == DateTimeKind.Unspecified ? "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF" : "O";
        if (!dt.TryFormat(_buffer.AsSpan(_position), out var written, format, CultureInfo.InvariantCulture))
            throw new InvalidOperationException("the buffer was not grown before a value");
        _position += written;
        if (_buffer[_position - 1] == (byte)'.') _position--;
        _buffer[_position++] = (byte)'"';
    }

    /// <summary>
    /// A string: transcoded to UTF-8 in place; if the encoder finds nothing to escape (the usual case: plain
    /// text, accented or CJK letters), that is the value. Otherwise (quotes, backslashes, control characters,
    /// characters outside the BMP, invalid UTF-16) it is written again by <see cref="Utf8JsonWriter"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per display: no time in tier 0
    private void WriteString(string s)
    {
        Ensure(s.Length * 3 + 2 + _rowReserve);
        var start = _position;
        if (s.Length <= 32)
        {
            // Short strings (categories, codes, names): one pass, a byte per char, while every char is printable
            // ASCII other than '"' and '\\', which the encoder never escapes.
            ref var destination = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), start + 1);
            var i = 0;
            for (; i < s.Length; i++)
            {
                var ch = s[i];
                if (ch < 0x20 || ch > 0x7E || ch == '"' || ch == '\\') break;
                Unsafe.Add(ref destination, i) = (byte)ch;
            }
            if (i == s.Length)
            {
                _buffer[start] = (byte)'"';
                _buffer[start + 1 + i] = (byte)'"';
                _position = start + i + 2;
                return;
            }
        }
        var span = _buffer.AsSpan(start + 1);
        if (Utf8.FromUtf16(s, span, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done
            && Encoder.FindFirstCharacterToEncodeUtf8(span[..written]) < 0)
        {
            _buffer[start] = (byte)'"';
            _buffer[start + 1 + written] = (byte)'"';
            _position = start + written + 2;
            return;
        }
        WriteWithJsonWriter(s);
    }

    /// <summary>Writes one value with <see cref="Utf8JsonWriter"/> into this buffer, as the renderer always has.</summary>
    private void WriteWithJsonWriter(object value)
    {
        if (_json is null) _json = new Utf8JsonWriter(this, JsonOptions);
        else _json.Reset(this);
        TabularRenderer.WriteValue(_json, value, 0);
        _json.Flush();
        Ensure(_rowReserve); // the cells after this one in the row count on it
    }

    private void WriteHeader(TabularResult table)
    {
        using var w = new Utf8JsonWriter(this, JsonOptions);
        w.WriteStartObject();
        w.WriteStartObject("schema");
        w.WriteStartArray("fields");
        foreach (var f in table.Fields)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Name);
            w.WriteString("type", f.Type);
            if (f.EngineType is { Length: > 0 }) w.WriteString("x-engine-type", f.EngineType);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        WriteByte((byte)',');
    }

    private void WriteAscii(string text)
    {
        Ensure(text.Length);
        for (var i = 0; i < text.Length; i++) _buffer[_position + i] = (byte)text[i];
        _position += text.Length;
    }

    private void WriteByte(byte b)
    {
        Ensure(1);
        _buffer[_position++] = b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int bytes)
    {
        if (_buffer.Length - _position < bytes) Grow(bytes);
    }

    private void Grow(int bytes)
    {
        var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)_position + bytes)));
        _buffer.AsSpan(0, _position).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
    }

    private byte[] ToArray()
    {
        var result = GC.AllocateUninitializedArray<byte>(_position);
        _buffer.AsSpan(0, _position).CopyTo(result);
        return result;
    }

    void IBufferWriter<byte>.Advance(int count) => _position += count;

    Memory<byte> IBufferWriter<byte>.GetMemory(int sizeHint)
    {
        Ensure(Math.Max(sizeHint, 256));
        return _buffer.AsMemory(_position);
    }

    Span<byte> IBufferWriter<byte>.GetSpan(int sizeHint)
    {
        Ensure(Math.Max(sizeHint, 256));
        return _buffer.AsSpan(_position);
    }

    public void Dispose()
    {
        _json?.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
