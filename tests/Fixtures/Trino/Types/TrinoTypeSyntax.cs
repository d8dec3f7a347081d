using KernelGateway.Tests.Fixtures.Trino.Sql;

namespace KernelGateway.Tests.Fixtures.Trino.Types;

/// <summary>
/// Reads a Trino type spelling from tokens (<c>timestamp(3) with time zone</c>, <c>row(a integer, b varchar(3))</c>,
/// <c>array(map(varchar, double))</c>, <c>interval day to second</c>…) and spells the DuckDB type that holds the
/// same values.
/// </summary>
internal static class TrinoTypeSyntax
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "boolean", "tinyint", "smallint", "integer", "int", "bigint", "real", "double", "decimal", "varchar", "char",
        "varbinary", "json", "date", "time", "timestamp", "interval", "array", "map", "row", "uuid", "ipaddress",
    };

    /// <summary>Parses the type starting at <paramref name="i"/> of <paramref name="t"/> (significant tokens);
    /// on success <paramref name="i"/> is just past it.</summary>
    public static bool TryParse(IReadOnlyList<SqlToken> t, ref int i, out TrinoType type)
    {
        type = TrinoType.Varchar();
        var at = i;
        try
        {
            if (at >= t.Count || !Names.Contains(t[at].Text) || t[at].Kind != SqlTokenKind.Word) return false;
            type = Parse(t, ref at);
            i = at;
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private static TrinoType Parse(IReadOnlyList<SqlToken> t, ref int i)
    {
        var name = t[i++].Text.ToLowerInvariant();
        switch (name)
        {
            case "int": return TrinoType.Simple("integer");
            case "double":
                if (i < t.Count && t[i].Is("precision")) i++;
                return TrinoType.Simple("double");
            case "varchar": return Numbers(t, ref i) is [var n, ..] ? TrinoType.Varchar(n) : TrinoType.Varchar();
            case "char": return TrinoType.Char(Numbers(t, ref i) is [var c, ..] ? c : 1);
            case "decimal":
                var ps = Numbers(t, ref i);
                return TrinoType.Decimal(ps.Count > 0 ? ps[0] : 38, ps.Count > 1 ? ps[1] : 0);
            case "time" or "timestamp":
                var p = Numbers(t, ref i) is [var q, ..] ? (int)q : 3;
                var zoned = ReadZone(t, ref i);
                return name == "time" ? TrinoType.Time(p, zoned) : TrinoType.Timestamp(p, zoned);
            case "interval":
                var from = t[i++].Text.ToLowerInvariant();
                if (!t[i++].Is("to")) throw new FormatException();
                i++;  // MONTH / SECOND
                return TrinoType.Simple(from == "year" ? "interval year to month" : "interval day to second");
            case "array":
                Expect(t, ref i, "(");
                var element = Parse(t, ref i);
                Expect(t, ref i, ")");
                return TrinoType.Array(element);
            case "map":
                Expect(t, ref i, "(");
                var key = Parse(t, ref i);
                Expect(t, ref i, ",");
                var value = Parse(t, ref i);
                Expect(t, ref i, ")");
                return TrinoType.Map(key, value);
            case "row": return TrinoType.Row(Fields(t, ref i));
            default: return TrinoType.Simple(name);
        }
    }

    private static List<TrinoField> Fields(IReadOnlyList<SqlToken> t, ref int i)
    {
        Expect(t, ref i, "(");
        var fields = new List<TrinoField>();
        do
        {
            string? name = null;
            var namedType = t[i].Kind == SqlTokenKind.Word && Names.Contains(t[i].Text);
            if (!namedType || (t[i + 1].Kind is SqlTokenKind.Word && Names.Contains(t[i + 1].Text)))
            {
                name = t[i++].Identifier;
            }
            fields.Add(new TrinoField(name, Parse(t, ref i)));
        }
        while (t[i++].IsSymbol(","));
        if (!t[i - 1].IsSymbol(")")) throw new FormatException();
        return fields;
    }

    private static bool ReadZone(IReadOnlyList<SqlToken> t, ref int i)
    {
        if (i + 2 < t.Count && (t[i].Is("with") || t[i].Is("without")) && t[i + 1].Is("time") && t[i + 2].Is("zone"))
        {
            var with = t[i].Is("with");
            i += 3;
            return with;
        }
        return false;
    }

    private static List<long> Numbers(IReadOnlyList<SqlToken> t, ref int i)
    {
        var numbers = new List<long>();
        if (i >= t.Count || !t[i].IsSymbol("(")) return numbers;
        i++;
        do
        {
            numbers.Add(long.Parse(t[i++].Text, System.Globalization.CultureInfo.InvariantCulture));
        }
        while (t[i++].IsSymbol(","));
        if (!t[i - 1].IsSymbol(")")) throw new FormatException();
        return numbers;
    }

    private static void Expect(IReadOnlyList<SqlToken> t, ref int i, string symbol)
    {
        if (!t[i++].IsSymbol(symbol)) throw new FormatException();
    }

    /// <summary>The DuckDB spelling of a type holding the values of <paramref name="type"/>.</summary>
    public static string ToDuckDb(TrinoType type) => type.Base switch
    {
        "varchar" or "char" or "ipaddress" => "VARCHAR",
        "varbinary" => "BLOB",
        "decimal" => $"DECIMAL({type.Numbers[0]},{type.Numbers[1]})",
        "timestamp" => type.Precision switch { 0 => "TIMESTAMP_S", <= 3 => "TIMESTAMP_MS", <= 6 => "TIMESTAMP", _ => "TIMESTAMP_NS" },
        "timestamp with time zone" => "TIMESTAMPTZ",
        "time" => type.Precision > 6 ? "TIME_NS" : "TIME",
        "time with time zone" => "TIMETZ",
        "interval day to second" or "interval year to month" => "INTERVAL",
        "array" => ToDuckDb(type.Fields[0].Type) + "[]",
        "map" => $"MAP({ToDuckDb(type.Fields[0].Type)}, {ToDuckDb(type.Fields[1].Type)})",
        "row" => "STRUCT(" + string.Join(", ", type.Fields.Select((f, n) => $"\"{(f.Name ?? $"field{n}").Replace("\"", "\"\"")}\" {ToDuckDb(f.Type)}")) + ")",
        _ => type.Base.ToUpperInvariant(),
    };
}
