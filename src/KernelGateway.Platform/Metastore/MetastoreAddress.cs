using System.Text;
using System.Text.Json.Serialization;

namespace KernelGateway.Platform.Metastore;

/// <summary>
/// The stable address of a metastore object: <c>connection.catalog.schema.table.column</c>, cut after any part
/// (<c>warehouse</c>, <c>pg.postgres.public</c>, ...). A part that is not a plain lowercase identifier
/// (<c>[a-z_][a-z0-9_$]*</c>) is written in double quotes, with a quote inside doubled: <c>pg.db."My Table"."a.b"</c>.
/// Parts are exact names: nothing is case-folded, so <c>"Sales"</c> and <c>sales</c> are different addresses.
/// Parsing also accepts unquoted parts with other characters (upper case, non-ASCII), taking them as written; only
/// a dot, a quote or whitespace needs the quotes.
/// </summary>
[JsonConverter(typeof(MetastoreAddressJsonConverter))]
public sealed record MetastoreAddress
{
    /// <summary>The most parts an address has.</summary>
    public const int MaxParts = 5;

    /// <summary>An address from its parts; parts after the first null must be null too.</summary>
    /// <exception cref="ArgumentException">A part is empty, or a part is given after a missing one.</exception>
    public MetastoreAddress(string connection, string? catalog = null, string? schema = null, string? table = null, string? column = null)
    {
        string?[] parts = [connection, catalog, schema, table, column];
        var seenNull = false;
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i] is null) { seenNull = true; continue; }
            if (seenNull) throw new ArgumentException($"an address cannot have a {(MetastoreLevel)(i + 1)} part without the parts before it");
            if (parts[i]!.Length == 0) throw new ArgumentException($"the {(MetastoreLevel)(i + 1)} part of an address cannot be empty");
        }
        Connection = connection;
        Catalog = catalog;
        Schema = schema;
        Table = table;
        Column = column;
    }

    /// <summary>The connection's name.</summary>
    public string Connection { get; }

    /// <summary>The catalog (DuckDB database, PostgreSQL database, Trino catalog), or null for a connection's address.</summary>
    public string? Catalog { get; }

    /// <summary>The schema (database, namespace), or null above that level.</summary>
    public string? Schema { get; }

    /// <summary>The table or view, or null above that level.</summary>
    public string? Table { get; }

    /// <summary>The column, or null above that level.</summary>
    public string? Column { get; }

    /// <summary>What the address names.</summary>
    public MetastoreLevel Level => Column is not null ? MetastoreLevel.Column : Table is not null ? MetastoreLevel.Table
        : Schema is not null ? MetastoreLevel.Schema : Catalog is not null ? MetastoreLevel.Catalog : MetastoreLevel.Connection;

    /// <summary>The last part: the name of the object itself.</summary>
    public string Name => Column ?? Table ?? Schema ?? Catalog ?? Connection;

    /// <summary>The parts, from the connection down.</summary>
    public IReadOnlyList<string> Parts => new[] { Connection, Catalog, Schema, Table, Column }.TakeWhile(p => p is not null).Select(p => p!).ToArray();

    /// <summary>The address one level up, or null for a connection.</summary>
    public MetastoreAddress? Parent => Level switch
    {
        MetastoreLevel.Connection => null,
        MetastoreLevel.Catalog => new MetastoreAddress(Connection),
        MetastoreLevel.Schema => new MetastoreAddress(Connection, Catalog),
        MetastoreLevel.Table => new MetastoreAddress(Connection, Catalog, Schema),
        _ => new MetastoreAddress(Connection, Catalog, Schema, Table),
    };

    /// <summary>The address of an object one level down.</summary>
    /// <exception cref="InvalidOperationException">This is a column's address: nothing is below it.</exception>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public MetastoreAddress Child(string name) => Level switch
    {
        MetastoreLevel.Connection => new MetastoreAddress(Connection, name),
        MetastoreLevel.Catalog => new MetastoreAddress(Connection, Catalog, name),
        MetastoreLevel.Schema => new MetastoreAddress(Connection, Catalog, Schema, name),
        MetastoreLevel.Table => new MetastoreAddress(Connection, Catalog, Schema, Table, name),
        _ => throw new InvalidOperationException($"{this} is a column: nothing is below it"),
    };

    /// <summary>Whether a part must be quoted: it is not a plain lowercase identifier <c>[a-z_][a-z0-9_$]*</c>.</summary>
    public static bool NeedsQuoting(string part)
    {
        ArgumentNullException.ThrowIfNull(part);
        if (part.Length == 0 || !(part[0] is >= 'a' and <= 'z' or '_')) return true;
        foreach (var c in part)
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' or '$')) return true;
        return false;
    }

    /// <summary>The part as written in an address: as is when plain, else in double quotes with quotes doubled.</summary>
    public static string Quote(string part) => NeedsQuoting(part) ? "\"" + part.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : part;

    /// <summary>The address as text; <see cref="Parse"/> gives back an equal address.</summary>
    public override string ToString() => string.Join('.', Parts.Select(Quote));

    /// <summary>Reads an address (surrounding whitespace ignored).</summary>
    /// <exception cref="FormatException">The text is not an address; the message says what is wrong and where (0-based position).</exception>
    public static MetastoreAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Read(text.Trim(), out var error) ?? throw new FormatException($"'{text}' is not a metastore address: {error}");
    }

    /// <summary>Reads an address, or returns false when the text is not one.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MetastoreAddress? address)
    {
        address = text is null ? null : Read(text.Trim(), out _);
        return address is not null;
    }

    private static MetastoreAddress? Read(string text, out string error)
    {
        error = "";
        if (text.Length == 0)
        {
            error = "it is empty (expected connection[.catalog[.schema[.table[.column]]]])";
            return null;
        }
        var parts = new List<string>(MaxParts);
        var i = 0;
        while (true)
        {
            var start = i;
            var part = text[i] == '"' ? ReadQuoted(text, ref i, out error) : ReadPlain(text, ref i, out error);
            if (part is null) return null;
            if (part.Length == 0)
            {
                error = $"empty name at position {start}";
                return null;
            }
            parts.Add(part);
            if (i == text.Length) break;
            if (text[i] != '.')
            {
                error = $"expected '.' at position {i} after a quoted name";
                return null;
            }
            if (parts.Count == MaxParts)
            {
                error = $"more than {MaxParts} parts (connection.catalog.schema.table.column)";
                return null;
            }
            i++;
            if (i == text.Length)
            {
                error = "it ends with '.'";
                return null;
            }
        }
        return new MetastoreAddress(parts[0], parts.ElementAtOrDefault(1), parts.ElementAtOrDefault(2), parts.ElementAtOrDefault(3), parts.ElementAtOrDefault(4));
    }

    private static string? ReadQuoted(string text, ref int i, out string error)
    {
        error = "";
        var open = i++;
        var name = new StringBuilder();
        while (true)
        {
            if (i == text.Length)
            {
                error = $"the quote at position {open} is not closed";
                return null;
            }
            if (text[i] == '"')
            {
                if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    name.Append('"');
                    i += 2;
                    continue;
                }
                i++;
                return name.ToString();
            }
            name.Append(text[i++]);
        }
    }

    private static string? ReadPlain(string text, ref int i, out string error)
    {
        error = "";
        var start = i;
        while (i < text.Length && text[i] != '.')
        {
            if (text[i] == '"' || char.IsWhiteSpace(text[i]))
            {
                error = $"{(text[i] == '"' ? "a quote" : "whitespace")} inside an unquoted name at position {i} (quote the whole name, doubling quotes in it: \"my \"\"name\"\"\")";
                return null;
            }
            i++;
        }
        return text[start..i];
    }
}
