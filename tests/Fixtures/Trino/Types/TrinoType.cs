using System.Text;

namespace KernelGateway.Tests.Fixtures.Trino.Types;

/// <summary>A field of a <c>row</c> type; <see cref="Name"/> is null for an anonymous field.</summary>
internal sealed record TrinoField(string? Name, TrinoType Type);

/// <summary>
/// A Trino type as clients see it: a base name (<c>varchar</c>, <c>timestamp with time zone</c>, <c>array</c>…),
/// numeric parameters (length, precision and scale) and child types (array element, map key and value, row
/// fields). Renders the display string of the <c>type</c> field; the typeSignature is written by
/// <see cref="TypeSignatureWriter"/>.
/// </summary>
internal sealed record TrinoType(string Base, IReadOnlyList<long> Numbers, IReadOnlyList<TrinoField> Fields)
{
    /// <summary>Trino's unbounded varchar length (ClientTypeSignature.VARCHAR_UNBOUNDED_LENGTH).</summary>
    public const long UnboundedLength = int.MaxValue;

    public static TrinoType Simple(string name) => new(name, [], []);
    public static TrinoType Varchar(long length = UnboundedLength) => new("varchar", [length], []);
    public static TrinoType Char(long length) => new("char", [length], []);
    public static TrinoType Decimal(long precision, long scale) => new("decimal", [precision, scale], []);
    public static TrinoType Timestamp(int precision, bool zoned = false) => new(zoned ? "timestamp with time zone" : "timestamp", [precision], []);
    public static TrinoType Time(int precision, bool zoned = false) => new(zoned ? "time with time zone" : "time", [precision], []);
    public static TrinoType Array(TrinoType element) => new("array", [], [new TrinoField(null, element)]);
    public static TrinoType Map(TrinoType key, TrinoType value) => new("map", [], [new TrinoField(null, key), new TrinoField(null, value)]);
    public static TrinoType Row(IReadOnlyList<TrinoField> fields) => new("row", [], fields);

    /// <summary>Whether values carry a fractional-second precision (the four datetime types).</summary>
    public bool IsDateTime => Base is "time" or "time with time zone" or "timestamp" or "timestamp with time zone";

    /// <summary>The precision of a datetime type, the length of varchar/char.</summary>
    public int Precision => Numbers.Count > 0 ? (int)Math.Min(Numbers[0], int.MaxValue) : 0;

    /// <summary>The type with every datetime precision replaced by 3, as Trino answers clients that do not
    /// declare the PARAMETRIC_DATETIME capability (ClientCapabilities.java).</summary>
    public TrinoType WithLegacyPrecision() =>
        IsDateTime ? this with { Numbers = [3] }
        : Fields.Count == 0 ? this
        : this with { Fields = Fields.Select(f => f with { Type = f.Type.WithLegacyPrecision() }).ToList() };

    /// <summary>The display string, as in the <c>type</c> field of a column.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Append(sb);
        return sb.ToString();
    }

    private void Append(StringBuilder sb)
    {
        switch (Base)
        {
            case "varchar" when Numbers.Count == 0 || Numbers[0] == UnboundedLength:
                sb.Append("varchar");
                break;
            case "varchar" or "char":
                sb.Append(Base).Append('(').Append(Numbers[0]).Append(')');
                break;
            case "decimal":
                sb.Append("decimal(").Append(Numbers[0]).Append(',').Append(Numbers[1]).Append(')');
                break;
            case "time" or "timestamp":
                sb.Append(Base).Append('(').Append(Numbers[0]).Append(')');
                break;
            case "time with time zone" or "timestamp with time zone":
                sb.Append(Base[..Base.IndexOf(' ')]).Append('(').Append(Numbers[0]).Append(") with time zone");
                break;
            case "array" or "map" or "row":
                sb.Append(Base).Append('(');
                for (var i = 0; i < Fields.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    if (Fields[i].Name is { } name) sb.Append(name).Append(' ');
                    Fields[i].Type.Append(sb);
                }
                sb.Append(')');
                break;
            default:
                sb.Append(Base);
                break;
        }
    }
}
