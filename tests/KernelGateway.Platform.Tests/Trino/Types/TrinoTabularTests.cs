using System.Text;
using System.Text.Json;
using KernelGateway.Formatting.Tabular;
using KernelGateway.Platform.Trino;

namespace KernelGateway.Platform.Tests.Trino.Types;

/// <summary>Decoded Trino values in the tabular bundle: the data resource writes them as JSON values, html and text as readable text.</summary>
public sealed class TrinoTabularTests
{
    private static readonly TrinoColumn[] Columns =
    [
        new("r", TrinoType.Parse("row(id bigint, \"the name\" varchar, tags array(varchar))")),
        new("a", TrinoType.Parse("array(row(x double))")),
        new("m", TrinoType.Parse("map(date, integer)")),
        new("ym", TrinoType.Parse("interval year to month")),
        new("tz", TrinoType.Parse("time(3) with time zone")),
        new("ip", TrinoType.Parse("ipaddress")),
        new("wide", TrinoType.Parse("decimal(38,2)")),
    ];

    private const string Page = """
        [[[7, "x", ["a", null]], [[1.5], null], {"2024-01-02": 3}, "-1-2", "03:04:05.123+05:30", "10.0.0.1", "123456789012345678901234567890123456.78"],
         [null, null, null, null, null, null, null]]
        """;

    private static TabularResult Table()
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(Page));
        reader.Read();
        var rows = new List<object?[]>();
        new TrinoRowDecoder(Columns).ReadRows(ref reader, rows);
        return TabularResult.FromRows([.. Columns.Select(c => (c.Name, c.Type.ClrType))], rows);
    }

    [Fact]
    public void The_data_resource_writes_rows_arrays_maps_and_Trino_values_as_JSON()
    {
        using var doc = JsonDocument.Parse(TabularRenderer.DataResource(Table()));
        var first = doc.RootElement.GetProperty("data")[0];
        Assert.Equal("""{"id":7,"the name":"x","tags":["a",null]}""", first.GetProperty("r").GetRawText());
        Assert.Equal("""[{"x":1.5},null]""", first.GetProperty("a").GetRawText());
        Assert.Equal("""{"2024-01-02":3}""", first.GetProperty("m").GetRawText());
        Assert.Equal("\"-1-2\"", first.GetProperty("ym").GetRawText());
        Assert.Equal("\"03:04:05.123+05:30\"", first.GetProperty("tz").GetRawText());
        Assert.Equal("\"10.0.0.1\"", first.GetProperty("ip").GetRawText());
        Assert.Equal("\"123456789012345678901234567890123456.78\"", first.GetProperty("wide").GetRawText());
        var second = doc.RootElement.GetProperty("data")[1];
        foreach (var column in Columns) Assert.Equal(JsonValueKind.Null, second.GetProperty(column.Name).ValueKind);
        var types = doc.RootElement.GetProperty("schema").GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("type").GetString());
        Assert.Equal(["object", "array", "object"], types.Take(3));
    }

    [Fact]
    public void Html_and_text_show_the_values_not_their_type_names()
    {
        var html = TabularRenderer.Html(Table());
        var text = TabularRenderer.PlainText(Table());
        foreach (var shown in new[] { "{&quot;id&quot;:7,&quot;the name&quot;:&quot;x&quot;,&quot;tags&quot;:[&quot;a&quot;,null]}", "-1-2", "03:04:05.123+05:30", "10.0.0.1" })
            Assert.Contains(shown, html);
        Assert.Contains("{\"2024-01-02\":3}", text);
        Assert.DoesNotContain("TrinoRow", html + text);
        Assert.DoesNotContain("KeyValuePair", html + text);
    }
}
