using System.Text.Json;

namespace KernelGateway.Platform.Spark.Livy;

/// <summary>
/// Reads the two tables Livy writes into <see cref="LivyTable"/>: the <c>%table</c> magic's
/// <c>{headers: [{name, type: INT_TYPE|...}], data}</c> (<c>fake_shell.py</c>, <c>AbstractSparkInterpreter.scala</c>)
/// and the <c>sql</c> interpreter's <c>{schema: StructType JSON, data}</c> (<c>SQLInterpreter.scala</c>).
/// </summary>
internal static class LivyTableReader
{
    /// <summary>Whether an <c>application/json</c> value is a <c>sql</c> result: <c>schema</c> a struct type, <c>data</c> an array.</summary>
    public static bool IsSqlResult(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object
        && json.TryGetProperty("schema", out var schema) && schema.ValueKind == JsonValueKind.Object
        && schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "struct"
        && schema.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Array
        && json.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array;

    /// <summary>A <c>%table</c> table. An <c>INT_TYPE</c> column (Python's int, unbounded) becomes long when a value does not fit an int.</summary>
    /// <exception cref="FormatException">Not the shape Livy writes.</exception>
    public static LivyTable ReadLivyTable(JsonElement table)
    {
        if (table.ValueKind != JsonValueKind.Object || !table.TryGetProperty("headers", out var headers) || headers.ValueKind != JsonValueKind.Array)
            throw new FormatException($"{LivyMimeTypes.Table} without a headers array");
        var names = new List<string>();
        var types = new List<LivyValueType>();
        foreach (var header in headers.EnumerateArray())
        {
            names.Add(header.TryGetProperty("name", out var n) ? n.ToString() : $"column_{names.Count}");
            types.Add(LivyValueType.FromTableType(header.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "STRING_TYPE"));
        }
        var data = Rows(table, names.Count);
        for (var c = 0; c < types.Count; c++)
            if (types[c].EngineType == "INT_TYPE" && data.Any(row => row[c].ValueKind == JsonValueKind.Number && !row[c].TryGetInt32(out _)))
                types[c] = LivyValueType.FromTableType("BIGINT_TYPE") with { EngineType = "INT_TYPE" };
        return Build(names, types, data);
    }

    /// <summary>A <c>sql</c> statement's table.</summary>
    /// <exception cref="FormatException">Not the shape Livy writes.</exception>
    public static LivyTable ReadSqlResult(JsonElement result)
    {
        var fields = result.GetProperty("schema").GetProperty("fields");
        var names = new List<string>();
        var types = new List<LivyValueType>();
        foreach (var field in fields.EnumerateArray())
        {
            names.Add(field.TryGetProperty("name", out var n) ? n.ToString() : $"column_{names.Count}");
            types.Add(field.TryGetProperty("type", out var t) ? LivyValueType.FromSparkType(t) : LivyValueType.FromSparkType(default));
        }
        return Build(names, types, Rows(result, names.Count));
    }

    private static List<JsonElement[]> Rows(JsonElement table, int width)
    {
        var rows = new List<JsonElement[]>();
        if (!table.TryGetProperty("data", out var data) || data.ValueKind == JsonValueKind.Null) return rows;
        if (data.ValueKind != JsonValueKind.Array) throw new FormatException("the table's data is not an array");
        foreach (var row in data.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array) throw new FormatException($"row {rows.Count} of the table is not an array");
            var cells = row.EnumerateArray().ToArray();
            if (cells.Length != width) throw new FormatException($"row {rows.Count} has {cells.Length} values for {width} columns");
            rows.Add(cells);
        }
        return rows;
    }

    /// <summary>Converts every cell; a column whose values do not all read as its type falls back to their text (and says so in its engine type).</summary>
    private static LivyTable Build(List<string> names, List<LivyValueType> types, List<JsonElement[]> data)
    {
        var rows = data.Select(_ => new object?[names.Count]).ToList();
        var columns = new LivyColumn[names.Count];
        for (var c = 0; c < names.Count; c++)
        {
            var type = types[c];
            try
            {
                for (var r = 0; r < data.Count; r++) rows[r][c] = type.Convert(data[r][c]);
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or OverflowException)
            {
                type = LivyValueType.Text(type.EngineType + " (as text)");
                for (var r = 0; r < data.Count; r++) rows[r][c] = type.Convert(data[r][c]);
            }
            columns[c] = new LivyColumn(names[c], type.ClrType, type.EngineType);
        }
        return new LivyTable(columns, rows);
    }
}
