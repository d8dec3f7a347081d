using System.Globalization;
using System.Text;
using KernelGateway.Tests.Fixtures.Spark.Connect.Plans;

namespace KernelGateway.Tests.Fixtures.Spark.Connect.Catalog;

/// <summary>A column of rows computed by the fixture: its name and DuckDB type (<c>VARCHAR</c>, <c>BOOLEAN</c>, <c>VARCHAR[]</c>).</summary>
internal sealed record RowsColumn(string Name, string DuckType);

/// <summary>
/// Rows the fixture computes itself (catalog lookups), served as a DuckDB query over VALUES so they stream, type and
/// encode like any result: every value a bound parameter cast to its column's type, never spliced into the text.
/// A string array is a list of parameters; null is a typed NULL.
/// </summary>
internal sealed class RowsPlan(params RowsColumn[] columns)
{
    private readonly List<object?[]> _rows = [];

    public RowsPlan Add(params object?[] row)
    {
        if (row.Length != columns.Length) throw new ArgumentException($"expected {columns.Length} values, got {row.Length}");
        _rows.Add(row);
        return this;
    }

    public SqlPlan ToPlan(StatementKind kind = StatementKind.Query)
    {
        var names = string.Join(", ", columns.Select(c => SparkSqlRewriter.QuoteIdentifier(c.Name)));
        if (_rows.Count == 0)
        {
            var nulls = string.Join(", ", columns.Select(c => $"CAST(NULL AS {c.DuckType}) AS {SparkSqlRewriter.QuoteIdentifier(c.Name)}"));
            return new SqlPlan($"SELECT {nulls} WHERE false", [], kind);
        }
        var parameters = new List<BoundParameter>();
        var sql = new StringBuilder("SELECT * FROM (VALUES ");
        for (var r = 0; r < _rows.Count; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Length; c++)
            {
                if (c > 0) sql.Append(", ");
                sql.Append(Value(_rows[r][c], columns[c].DuckType, $"v{r}_{c}", parameters));
            }
            sql.Append(')');
        }
        sql.Append($") AS _rows({names})");
        return new SqlPlan(sql.ToString(), parameters, kind);
    }

    private static string Value(object? value, string duckType, string name, List<BoundParameter> parameters)
    {
        if (value is null) return $"CAST(NULL AS {duckType})";
        if (value is IReadOnlyList<string> { Count: 0 }) return $"CAST([] AS {duckType})";
        if (value is IReadOnlyList<string> list)
        {
            var items = list.Select((item, i) => Bind(item, $"{name}_{i.ToString(CultureInfo.InvariantCulture)}", "VARCHAR", parameters));
            return $"CAST(list_value({string.Join(", ", items)}) AS {duckType})";
        }
        return Bind(value, name, duckType, parameters);
    }

    private static string Bind(object value, string name, string duckType, List<BoundParameter> parameters)
    {
        parameters.Add(new BoundParameter(name, value, name));
        return $"CAST(${name} AS {duckType})";
    }
}
