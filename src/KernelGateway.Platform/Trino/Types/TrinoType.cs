using System.Text.Json;
using Apache.Arrow.Types;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// A Trino (or Presto) type, parsed from a column's <c>typeSignature</c> or from a type name, with everything
/// decided once that decoding its values needs: the CLR type, the Table Schema type, the Arrow type, and how
/// <see cref="Read"/> turns a JSON value of a result page into a CLR value.
/// </summary>
/// <remarks>
/// Values the CLR cannot hold exactly stay the text the server sent, decided by the type so that a column's
/// <see cref="ClrType"/> holds for every value: <c>decimal(p,s)</c> is <see cref="decimal"/> for p ≤ 28 and
/// <see cref="string"/> beyond; <c>time(p)</c>, <c>timestamp(p)</c> (with or without time zone) and
/// <c>interval day to second</c> are CLR values for p ≤ 7 (100 ns ticks) and strings beyond. Within a column of a
/// CLR temporal type, a single value outside the CLR's range (a <c>date</c> or <c>timestamp</c> year before 1 or
/// after 9999, an interval beyond ±10,675,199 days) also comes back as its text: no CLR value holds it, and
/// failing the whole result for one sentinel would be worse.
/// </remarks>
public sealed class TrinoType : IEquatable<TrinoType>
{
    private readonly string _spelling;
    private readonly TrinoTypeArgument[] _arguments;

    internal TrinoType(string rawType, IReadOnlyList<TrinoTypeArgument> arguments)
    {
        if (string.IsNullOrWhiteSpace(rawType)) throw new FormatException("a type needs a name");
        _spelling = rawType.Equals("int", StringComparison.OrdinalIgnoreCase) ? "integer" : rawType;
        RawType = _spelling.ToLowerInvariant();
        _arguments = [.. arguments];
        ReadArguments();
        Kind = TrinoKinds.Of(this);
        ClrType = TrinoKinds.ClrType(Kind);
        TableSchemaType = TrinoKinds.TableSchemaType(Kind);
        DisplayName = TrinoTypeNames.Display(this, _spelling, _arguments);
        FieldTypes = [.. Fields.Select(f => f.Type)];
        if (Kind == TrinoKind.Row) Shape = new TrinoRowShape(Fields.Select(f => f.Name).ToList());
        ArrowType = TrinoArrowTypes.For(this);
    }

    /// <summary>Parses a <c>typeSignature</c>: <c>{"rawType", "arguments": [{"kind", "value"}]}</c>, in either spelling.</summary>
    /// <remarks>
    /// Argument kinds <c>TYPE</c>, <c>NAMED_TYPE</c>, <c>LONG</c>, <c>VARIABLE</c> (Trino) and <c>TYPE_SIGNATURE</c>,
    /// <c>NAMED_TYPE_SIGNATURE</c>, <c>LONG_LITERAL</c> (Presto, Trino before 321); a named type's signature as an
    /// object (Trino) or a type name string (Presto); Presto's deprecated <c>typeArguments</c> and
    /// <c>literalArguments</c> when <c>arguments</c> is absent (row field names are then the literal arguments).
    /// </remarks>
    /// <exception cref="FormatException">The element is not a type signature.</exception>
    public static TrinoType Parse(JsonElement typeSignature) => TrinoTypeSignatures.Parse(typeSignature);

    /// <summary>
    /// Parses a type name as Trino and Presto print them: <c>decimal(10,2)</c>, <c>varchar</c>,
    /// <c>timestamp(3) with time zone</c>, <c>interval day to second</c>, <c>map(varchar, bigint)</c>,
    /// <c>row(a integer, "b c" array(varchar))</c>, <c>array&lt;bigint&gt;</c>. Names are case-insensitive.
    /// </summary>
    /// <exception cref="FormatException">The text is not a type name.</exception>
    public static TrinoType Parse(string displayType) => TrinoTypeNames.Parse(displayType);

    /// <summary>The base type in lower case: <c>decimal</c>, <c>timestamp with time zone</c>, <c>hyperloglog</c>.</summary>
    public string RawType { get; }

    /// <summary>
    /// The type as Trino spells it: <c>decimal(10,2)</c>, <c>varchar</c>, <c>timestamp(3) with time zone</c>,
    /// <c>map(varchar, bigint)</c>, <c>row(a integer, b varchar)</c>. Unlike Trino, a row field name that is not a
    /// plain identifier is double-quoted, so that <see cref="Parse(string)"/> reads the name back.
    /// </summary>
    public string DisplayName { get; }

    /// <summary>The precision of <c>decimal</c>, and of <c>time</c>, <c>timestamp</c> (with or without zone) and day-to-second intervals when the signature gives one.</summary>
    public int? Precision { get; private set; }

    /// <summary>The scale of <c>decimal</c>.</summary>
    public int? Scale { get; private set; }

    /// <summary>The length of <c>varchar(n)</c> and <c>char(n)</c>; null for unbounded <c>varchar</c>.</summary>
    public long? Length { get; private set; }

    /// <summary>The element type of an <c>array</c>.</summary>
    public TrinoType? ElementType { get; private set; }

    /// <summary>The key type of a <c>map</c>.</summary>
    public TrinoType? KeyType { get; private set; }

    /// <summary>The value type of a <c>map</c>.</summary>
    public TrinoType? ValueType { get; private set; }

    /// <summary>The fields of a <c>row</c>, in order; empty for other types.</summary>
    public IReadOnlyList<TrinoField> Fields { get; private set; } = [];

    /// <summary>
    /// The type <see cref="Read"/> returns for non-null values: <see cref="bool"/>, <see cref="sbyte"/>,
    /// <see cref="short"/>, <see cref="int"/>, <see cref="long"/>, <see cref="float"/>, <see cref="double"/>,
    /// <see cref="decimal"/>, <see cref="string"/>, <c>byte[]</c>, <see cref="DateOnly"/>, <see cref="TimeOnly"/>,
    /// <see cref="TrinoTimeWithTimeZone"/>, <see cref="DateTime"/> (kind unspecified), <see cref="DateTimeOffset"/>,
    /// <see cref="TimeSpan"/>, <see cref="TrinoYearMonthInterval"/>, <see cref="Guid"/>,
    /// <see cref="System.Net.IPAddress"/>, <c>object?[]</c> (array), <c>Dictionary&lt;object, object?&gt;</c> (map,
    /// in the server's order), <see cref="TrinoRow"/> (row). See the remarks for the values kept as text.
    /// </summary>
    public Type ClrType { get; }

    /// <summary>
    /// The Frictionless Table Schema type: <c>boolean</c>, <c>integer</c>, <c>number</c>, <c>string</c>, <c>date</c>,
    /// <c>time</c>, <c>datetime</c>, <c>duration</c>, <c>array</c> or <c>object</c>.
    /// </summary>
    public string TableSchemaType { get; }

    /// <summary>
    /// The Arrow type of a column of this type (see <see cref="TrinoArrowBatchBuilder"/>): bool, int8-int64, float,
    /// double, decimal128(p,s), utf8, binary, date32, time64 (µs for p ≤ 6, ns for p = 7), timestamp µs for
    /// p ≤ 6 (time zone "UTC" for <c>with time zone</c>), list, struct, map; utf8 text for values kept as text and
    /// for intervals, <c>time with time zone</c>, timestamps of p = 7 (a nanosecond timestamp only spans
    /// 1677-2262) and uuid, ipaddress, json and unknown types.
    /// </summary>
    public IArrowType ArrowType { get; }

    internal TrinoKind Kind { get; }

    /// <summary>The types of <see cref="Fields"/>, as an array for the decoding loop.</summary>
    internal TrinoType[] FieldTypes { get; }

    /// <summary>Field names and their lookup, shared by every <see cref="TrinoRow"/> of this row type.</summary>
    internal TrinoRowShape? Shape { get; }

    /// <summary>
    /// Decodes one value of a result page. The reader is positioned on the value's first token (a string, number,
    /// <c>true</c>/<c>false</c>, <c>null</c>, or the start of an array or object) and is left on its last token, as
    /// <see cref="Utf8JsonReader"/> conventions go; the whole value must be in the reader's buffer. JSON null
    /// is null at every level.
    /// </summary>
    /// <exception cref="FormatException">The value is not one of this type (the message names the type).</exception>
    public object? Read(ref Utf8JsonReader reader) => TrinoValueReader.Read(this, ref reader);

    /// <summary>Same type: same <see cref="DisplayName"/>.</summary>
    public bool Equals(TrinoType? other) => other is not null && string.Equals(DisplayName, other.DisplayName, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as TrinoType);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(DisplayName);

    /// <summary>The <see cref="DisplayName"/>.</summary>
    public override string ToString() => DisplayName;

    private void ReadArguments()
    {
        switch (RawType)
        {
            case "decimal":
                Precision = SmallNumber(0);
                Scale = SmallNumber(1) ?? (Precision is null ? null : 0);
                break;
            case "varchar":
                Length = Number(0) is { } length && length != int.MaxValue ? length : null; // unbounded varchar carries 2^31-1
                break;
            case "char" or "varbinary":
                Length = Number(0);
                break;
            case "time" or "time with time zone" or "timestamp" or "timestamp with time zone" or "interval day to second":
                Precision = SmallNumber(0);
                break;
            case "array":
                ElementType = TypeAt(0);
                break;
            case "map":
                KeyType = TypeAt(0);
                ValueType = TypeAt(1);
                break;
            case "row":
                if (_arguments.Length == 0) throw new FormatException("a row type needs at least one field");
                Fields = [.. _arguments.Select((a, i) => new TrinoField(a.FieldName, a.Type ?? throw Bad($"field {i + 1} has no type")))];
                break;
        }
    }

    private long? Number(int index) => index < _arguments.Length ? _arguments[index].Number : null;

    private int? SmallNumber(int index) => Number(index) is { } n ? (n is >= 0 and <= 1000 ? (int)n : throw Bad($"argument {n} is out of range")) : null;

    private TrinoType TypeAt(int index) =>
        (index < _arguments.Length ? _arguments[index].Type : null) ?? throw Bad($"needs a type as argument {index + 1}");

    private FormatException Bad(string what) => new($"{_spelling}: {what}");
}
