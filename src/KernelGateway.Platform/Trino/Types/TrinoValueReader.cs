using System.Buffers;
using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// Decodes the JSON values of a result page straight from a <see cref="Utf8JsonReader"/>: one switch on the
/// type's precomputed <see cref="TrinoKind"/>, then the number read by the reader or the string's UTF-8 bytes
/// parsed in place (<see cref="TrinoText"/>). Nothing compares type names or builds a document per value.
/// </summary>
internal static class TrinoValueReader
{
    private static readonly object True = true;
    private static readonly object False = false;

    public static object? Read(TrinoType type, ref Utf8JsonReader reader)
    {
        var token = reader.TokenType;
        if (token == JsonTokenType.Null) return null;
        switch (type.Kind)
        {
            case TrinoKind.BigInt when token == JsonTokenType.Number && reader.TryGetInt64(out var l): return l;
            case TrinoKind.Integer when token == JsonTokenType.Number && reader.TryGetInt32(out var i): return i;
            case TrinoKind.SmallInt when token == JsonTokenType.Number && reader.TryGetInt16(out var s): return s;
            case TrinoKind.TinyInt when token == JsonTokenType.Number && reader.TryGetSByte(out var b): return b;
            case TrinoKind.Double when token == JsonTokenType.Number && reader.TryGetDouble(out var d): return d;
            case TrinoKind.Real when token == JsonTokenType.Number && reader.TryGetSingle(out var f): return f;
            case TrinoKind.Boolean when token == JsonTokenType.True: return True;
            case TrinoKind.Boolean when token == JsonTokenType.False: return False;
            case TrinoKind.Varchar or TrinoKind.Json or TrinoKind.DecimalText or TrinoKind.TimeText or TrinoKind.TimeWithTimeZoneText
                or TrinoKind.TimestampText or TrinoKind.TimestampWithTimeZoneText or TrinoKind.IntervalDayToSecondText or TrinoKind.Unknown
                when token == JsonTokenType.String:
                return reader.GetString();
            case TrinoKind.Binary when token == JsonTokenType.String && reader.TryGetBytesFromBase64(out var bytes): return bytes;
            case TrinoKind.Array: return ReadArray(type, ref reader);
            case TrinoKind.Map: return ReadMap(type, ref reader);
            case TrinoKind.Row: return ReadRow(type, ref reader);
            case TrinoKind.Json or TrinoKind.Unknown: return JsonElement.ParseValue(ref reader).GetRawText();
        }
        if (token is not (JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False))
            throw new FormatException($"a JSON {token} is not a value of type {type.DisplayName}");
        return ParseToken(type, ref reader);
    }

    /// <summary>
    /// The value of a string, number or property name token parsed by <see cref="ParseText"/>: from the reader's
    /// bytes in place, or, when they are escaped or split across buffer segments, from an unescaped copy.
    /// </summary>
    /// <param name="type">The type of the value.</param>
    /// <param name="reader">The reader, on the token.</param>
    /// <param name="map">The map type when the token is a key, for the error message.</param>
    private static object ParseToken(TrinoType type, ref Utf8JsonReader reader, TrinoType? map = null)
    {
        if (!reader.HasValueSequence && !reader.ValueIsEscaped) return ParseText(type, reader.ValueSpan) ?? throw Bad(type, reader.ValueSpan, map);
        if (reader.TokenType == JsonTokenType.Number)
        {
            var number = reader.ValueSequence.ToArray(); // numbers are never escaped
            return ParseText(type, number) ?? throw Bad(type, number, map);
        }
        Span<byte> scratch = stackalloc byte[256];
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        ReadOnlySpan<byte> text = length <= scratch.Length ? scratch[..reader.CopyString(scratch)] : Encoding.UTF8.GetBytes(reader.GetString()!);
        return ParseText(type, text) ?? throw Bad(type, text, map);
    }

    /// <summary>
    /// A scalar value (or a map key) from its text: numbers and booleans as Trino's Java client accepts them in
    /// strings, the temporal and interval forms of <see cref="TrinoText"/>, base64 for binary types, and the text
    /// itself for string-like types. Null when the text is not of the type.
    /// </summary>
    internal static object? ParseText(TrinoType type, ReadOnlySpan<byte> s) => type.Kind switch
    {
        TrinoKind.Boolean => TrinoText.TryParseBoolean(s, out var b) ? (b ? True : False) : null,
        TrinoKind.TinyInt => TrinoText.TryParseInt64(s, out var n) && n is >= sbyte.MinValue and <= sbyte.MaxValue ? (sbyte)n : null,
        TrinoKind.SmallInt => TrinoText.TryParseInt64(s, out var n) && n is >= short.MinValue and <= short.MaxValue ? (short)n : null,
        TrinoKind.Integer => TrinoText.TryParseInt64(s, out var n) && n is >= int.MinValue and <= int.MaxValue ? (int)n : null,
        TrinoKind.BigInt => TrinoText.TryParseInt64(s, out var n) ? n : null,
        TrinoKind.Real => TrinoText.TryParseSingle(s, out var f) ? f : null,
        TrinoKind.Double => TrinoText.TryParseDouble(s, out var d) ? d : null,
        TrinoKind.Decimal => TrinoText.TryParseDecimal(s, out var m) ? m : null,
        TrinoKind.Binary => FromBase64(s),
        TrinoKind.Date => Ranged(TrinoText.ParseDate(s, out var date), date, s),
        TrinoKind.Time => TrinoText.TryParseTime(s, out var time) ? time : null,
        TrinoKind.TimeWithTimeZone => TrinoText.TryParseTimeWithTimeZone(s, out var timeTz) ? timeTz : null,
        TrinoKind.Timestamp => Ranged(TrinoText.ParseTimestamp(s, out var timestamp), timestamp, s),
        TrinoKind.TimestampWithTimeZone => Ranged(TrinoText.ParseTimestampWithTimeZone(s, out var instant), instant, s),
        TrinoKind.IntervalDayToSecond => Ranged(TrinoText.ParseDayToSecond(s, out var span), span, s),
        TrinoKind.IntervalYearToMonth => TrinoText.TryParseYearMonth(s, out var months) ? new TrinoYearMonthInterval(months) : null,
        TrinoKind.Uuid => Utf8Parser.TryParse(s, out Guid g, out var used, 'D') && used == s.Length ? g : null,
        TrinoKind.IpAddress => IPAddress.TryParse(Encoding.UTF8.GetString(s), out var ip) ? ip : null,
        _ => Encoding.UTF8.GetString(s), // string-like types; and array, map or row keys, which Trino sends as their text
    };

    /// <summary>The CLR value, or the text sent when it is out of the CLR type's range, or null when invalid.</summary>
    private static object? Ranged<T>(TextParse parsed, T value, ReadOnlySpan<byte> text) where T : struct => parsed switch
    {
        TextParse.Ok => value,
        TextParse.OutOfRange => Encoding.UTF8.GetString(text),
        _ => null,
    };

    private static byte[]? FromBase64(ReadOnlySpan<byte> s)
    {
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(s.Length)];
        if (Base64.DecodeFromUtf8(s, bytes, out _, out var written) != OperationStatus.Done) return null;
        return written == bytes.Length ? bytes : bytes[..written];
    }

    private static object?[] ReadArray(TrinoType type, ref Utf8JsonReader reader)
    {
        Expect(type, ref reader, JsonTokenType.StartArray);
        var element = type.ElementType!;
        var items = new List<object?>();
        while (Next(ref reader) != JsonTokenType.EndArray) items.Add(element.Read(ref reader));
        return items.ToArray();
    }

    /// <summary>A JSON object whose property names are the keys' text (Trino stringifies keys), decoded by the key type.</summary>
    private static Dictionary<object, object?> ReadMap(TrinoType type, ref Utf8JsonReader reader)
    {
        Expect(type, ref reader, JsonTokenType.StartObject);
        var keyType = type.KeyType!;
        var valueType = type.ValueType!;
        var map = new Dictionary<object, object?>();
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var key = ParseToken(keyType, ref reader, type);
            Next(ref reader);
            map[key] = valueType.Read(ref reader);
        }
        return map;
    }

    /// <summary>A JSON array of the fields' values in order (names are only in the signature).</summary>
    private static TrinoRow ReadRow(TrinoType type, ref Utf8JsonReader reader)
    {
        Expect(type, ref reader, JsonTokenType.StartArray);
        var types = type.FieldTypes;
        var values = new object?[types.Length];
        for (var i = 0; i < types.Length; i++)
        {
            if (Next(ref reader) == JsonTokenType.EndArray) throw new FormatException($"a value of type {type.DisplayName} has {i} fields, not {types.Length}");
            values[i] = types[i].Read(ref reader);
        }
        if (Next(ref reader) != JsonTokenType.EndArray) throw new FormatException($"a value of type {type.DisplayName} has more than {types.Length} fields");
        return new TrinoRow(type.Shape!, values);
    }

    private static void Expect(TrinoType type, ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (reader.TokenType != token) throw new FormatException($"a JSON {reader.TokenType} is not a value of type {type.DisplayName}");
    }

    /// <summary>Moves to the next token, which the buffer must hold (a value is decoded from a complete page).</summary>
    internal static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new FormatException("the JSON ended inside a value");

    private static FormatException Bad(TrinoType type, ReadOnlySpan<byte> text, TrinoType? map = null)
    {
        var shown = Encoding.UTF8.GetString(text.Length > 100 ? text[..100] : text) + (text.Length > 100 ? "…" : "");
        return new FormatException(map is null
            ? $"'{shown}' is not a value of type {type.DisplayName}"
            : $"'{shown}' is not a value of type {type.DisplayName}, the key type of {map.DisplayName}");
    }
}
