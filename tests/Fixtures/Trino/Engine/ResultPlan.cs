using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using KernelGateway.Tests.Fixtures.Trino.Sql;
using KernelGateway.Tests.Fixtures.Trino.Types;

namespace KernelGateway.Tests.Fixtures.Trino.Engine;

/// <summary>
/// How a query's rows are read: DuckDB's <c>DESCRIBE</c> of the statement gives each column's full DuckDB type,
/// mapped to Trino's (a type the select item states, like <c>CAST(x AS timestamp(12))</c> or <c>CHAR 'ab'</c>,
/// wins); columns whose values DuckDB.NET cannot hold exactly (TIMESTAMP_NS, TIME_NS, INTERVAL, enums, unions)
/// are read as DuckDB's text through a wrapping SELECT.
/// </summary>
internal sealed partial class ResultPlan
{
    private static readonly HashSet<string> ReadAsText = new(StringComparer.OrdinalIgnoreCase) { "TIMESTAMP_NS", "TIME_NS", "INTERVAL" };
    private readonly Func<DuckDBDataReader, int, object>[] _readers;
    private readonly Action<Utf8JsonWriter, DuckDBDataReader, int>?[] _fast;

    private ResultPlan(string sql, int linesBefore, IReadOnlyList<OutputColumn> columns, Func<DuckDBDataReader, int, object>[] readers,
        Action<Utf8JsonWriter, DuckDBDataReader, int>?[] fast)
    {
        Sql = sql;
        LinesBefore = linesBefore;
        Columns = columns;
        _readers = readers;
        _fast = fast;
    }

    /// <summary>The SQL to run (the statement, or a SELECT wrapping it).</summary>
    public string Sql { get; }

    /// <summary>Lines put before the statement in <see cref="Sql"/> (for error locations).</summary>
    public int LinesBefore { get; }

    public IReadOnlyList<OutputColumn> Columns { get; }

    public static ResultPlan Describe(DuckDBConnection c, ShimmedSql shim, string original, bool parametricDatetime)
    {
        var described = new List<(string Name, string Type)>();
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "DESCRIBE\n" + shim.DuckDb;
            using var r = cmd.ExecuteReader();
            while (r.Read()) described.Add((r.GetString(0), r.GetString(1)));
        }
        catch (DuckDBException e)
        {
            throw new TrinoFailure(TrinoError.From(e, shim, original, linesBefore: 1));
        }
        var columns = new List<OutputColumn>();
        var text = new bool[described.Count];
        var nested = new bool[described.Count];
        for (var i = 0; i < described.Count; i++)
        {
            var (name, duckType) = described[i];
            var item = i < shim.Items.Count ? shim.Items[i] : null;
            var type = DuckDbTypeMapper.Map(duckType);
            if (item?.StatedType is { } stated && Compatible(stated, type)) type = stated;
            if (!parametricDatetime) type = type.WithLegacyPrecision();
            var values = shim.Items.Count == 0 && original.TrimStart().StartsWith("VALUES", StringComparison.OrdinalIgnoreCase);
            columns.Add(new OutputColumn(values ? $"_col{i}" : ColumnName(i, name, item), type));
            nested[i] = type.Base is "array" or "map" or "row";
            text[i] = nested[i] || ReadAsText.Contains(duckType) || (type.Base == "decimal" && type.Numbers[0] > 28) || (type.Base is "varchar" or "char" or "ipaddress" && !duckType.StartsWith("VARCHAR", StringComparison.OrdinalIgnoreCase));
        }
        var readers = columns.Select((col, i) => text[i] ? (r, o) => r.GetString(o) : Reader(col.Type)).ToArray();
        var fast = columns.Select((col, i) => text[i] ? null : FastWriter(col.Type, described[i].Type)).ToArray();
        if (!text.Any(x => x)) return new ResultPlan(shim.DuckDb, 0, columns, readers, fast);
        var list = string.Join(", ", text.Select((t, i) => nested[i] ? $"CAST(to_json(#{i + 1}) AS VARCHAR)" : t ? $"CAST(#{i + 1} AS VARCHAR)" : $"#{i + 1}"));
        return new ResultPlan($"SELECT {list} FROM (\n{shim.DuckDb}\n) AS __trino_q", 1, columns, readers, fast);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainName();

    private static string ColumnName(int i, string duckName, SelectItem? item) => item switch
    {
        { Alias: { } alias } => alias,
        { Expression: true } => $"_col{i}",
        null when !PlainName().IsMatch(duckName) => $"_col{i}",
        _ => duckName,
    };

    private static bool Compatible(TrinoType stated, TrinoType described) =>
        stated.Base == described.Base
        || (stated.Base is "char" or "ipaddress" or "varchar" && described.Base == "varchar")
        || (stated.Base == "interval year to month" && described.Base == "interval day to second");

    private static Func<DuckDBDataReader, int, object> Reader(TrinoType type) => type.Base switch
    {
        "varchar" or "json" => (r, i) => r.GetString(i),
        _ => (r, i) => r.GetValue(i),
    };

    /// <summary>A direct writer for the common scalar columns (no boxing), or null to go through <see cref="TrinoValueWriter"/>.</summary>
    private static Action<Utf8JsonWriter, DuckDBDataReader, int>? FastWriter(TrinoType type, string duckType) => (type.Base, duckType.ToUpperInvariant()) switch
    {
        ("bigint", "BIGINT") => (w, r, i) => w.WriteNumberValue(r.GetInt64(i)),
        ("integer", "INTEGER") => (w, r, i) => w.WriteNumberValue(r.GetInt32(i)),
        ("smallint", "SMALLINT") => (w, r, i) => w.WriteNumberValue(r.GetInt16(i)),
        ("boolean", _) => (w, r, i) => w.WriteBooleanValue(r.GetBoolean(i)),
        ("varchar", "VARCHAR") => (w, r, i) => w.WriteStringValue(r.GetString(i)),
        ("double", "DOUBLE") => (w, r, i) =>
        {
            var d = r.GetDouble(i);
            if (double.IsFinite(d)) w.WriteNumberValue(d);
            else w.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
        },
        _ => null,
    };

    /// <summary>Writes the reader's current row as a JSON array.</summary>
    public void WriteRow(Utf8JsonWriter w, DuckDBDataReader reader, TrinoValueWriter values, NestedJsonWriter nested)
    {
        w.WriteStartArray();
        for (var i = 0; i < _readers.Length; i++)
        {
            if (reader.IsDBNull(i)) w.WriteNullValue();
            else if (_fast[i] is { } fast) fast(w, reader, i);
            else if (Columns[i].Type.Base is "array" or "map" or "row") nested.Write(w, Columns[i].Type, reader.GetString(i));
            else values.Write(w, Columns[i].Type, _readers[i](reader, i));
        }
        w.WriteEndArray();
    }
}
