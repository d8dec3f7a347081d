using System.Text.Json;
using KernelGateway.Platform.Trino;

namespace KernelGateway.Platform.Tests.Trino.Types;

/// <summary>
/// Type signatures in Trino's and Presto's JSON, and type names as text, parsed into the same types: names,
/// precision, scale, length, element/key/value/field types.
/// </summary>
public sealed class TrinoTypeParsingTests
{
    private static TrinoType FromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return TrinoType.Parse(doc.RootElement);
    }

    public static TheoryData<Sig, string, string> Signatures => new()
    {
        { Sig.Of("bigint"), "bigint", "bigint" },
        { Sig.Varchar, "varchar", "varchar" },
        { Sig.Of("varchar", 10L), "varchar", "varchar(10)" },
        { Sig.Of("char", 3L), "char", "char(3)" },
        { Sig.Of("decimal", 10L, 2L), "decimal", "decimal(10,2)" },
        { Sig.Of("timestamp", 3L), "timestamp", "timestamp(3)" },
        { Sig.Of("timestamp with time zone", 6L), "timestamp with time zone", "timestamp(6) with time zone" },
        { Sig.Of("time with time zone", 9L), "time with time zone", "time(9) with time zone" },
        { Sig.Of("interval day to second"), "interval day to second", "interval day to second" },
        { Sig.Of("interval year to month"), "interval year to month", "interval year to month" },
        { Sig.Of("array", Sig.Of("array", Sig.Varchar)), "array", "array(array(varchar))" },
        { Sig.Of("map", Sig.Varchar, Sig.Of("bigint")), "map", "map(varchar, bigint)" },
        { Sig.Of("row", Sig.Field("a", Sig.Of("integer")), Sig.Field("b", Sig.Varchar)), "row", "row(a integer, b varchar)" },
        { Sig.Of("row", Sig.Field(null, Sig.Of("integer")), Sig.Field(null, Sig.Of("double"))), "row", "row(integer, double)" },
        { Sig.Of("row", Sig.Field("b c", Sig.Of("array", Sig.Varchar))), "row", "row(\"b c\" array(varchar))" },
        { Sig.Of("HyperLogLog"), "hyperloglog", "HyperLogLog" },
        { Sig.Of("qdigest", Sig.Of("bigint")), "qdigest", "qdigest(bigint)" },
        { Sig.Of("Geometry"), "geometry", "Geometry" },
    };

    [Theory]
    [MemberData(nameof(Signatures))]
    public void Trino_and_Presto_signatures_parse_to_the_same_type(Sig signature, string rawType, string displayName)
    {
        var trino = FromJson(signature.Trino());
        var presto = FromJson(signature.Presto());
        Assert.Equal(rawType, trino.RawType);
        Assert.Equal(displayName, trino.DisplayName);
        Assert.Equal(trino, presto);
        Assert.Equal(displayName, presto.DisplayName);
        Assert.Equal(trino, TrinoType.Parse(displayName));
    }

    [Fact]
    public void A_column_as_a_Trino_server_sends_it_parses_from_its_signature()
    {
        // SELECT CAST(ROW(1, 'x') AS ROW(x bigint, y varchar)) AS r, as Trino 4xx answers it.
        var column = JsonDocument.Parse("""
            {"name":"r","type":"row(x bigint, y varchar)","typeSignature":{"rawType":"row","arguments":[
              {"kind":"NAMED_TYPE","value":{"fieldName":{"name":"x"},"typeSignature":{"rawType":"bigint","arguments":[]}}},
              {"kind":"NAMED_TYPE","value":{"fieldName":{"name":"y"},"typeSignature":{"rawType":"varchar","arguments":[{"kind":"LONG","value":2147483647}]}}}]}}
            """).RootElement;
        var parsed = TrinoColumn.Parse(column);
        Assert.Equal("r", parsed.Name);
        Assert.Equal("row(x bigint, y varchar)", parsed.Type.DisplayName);
        Assert.Equal(["x", "y"], parsed.Type.Fields.Select(f => f.Name));
        Assert.Equal(["bigint", "varchar"], parsed.Type.Fields.Select(f => f.Type.DisplayName));
        Assert.Null(parsed.Type.Fields[1].Type.Length);
    }

    [Fact]
    public void A_column_without_a_signature_parses_from_its_type_name()
    {
        var column = JsonDocument.Parse("""{"name":"d","type":"decimal(38,10)"}""").RootElement;
        var parsed = TrinoColumn.Parse(column);
        Assert.Equal((38, 10), (parsed.Type.Precision, parsed.Type.Scale));
    }

    [Fact]
    public void Pre_321_kind_names_are_accepted()
    {
        var type = FromJson("""
            {"rawType":"map","arguments":[
              {"kind":"TYPE_SIGNATURE","value":{"rawType":"varchar","arguments":[{"kind":"LONG_LITERAL","value":5}]}},
              {"kind":"TYPE_SIGNATURE","value":{"rawType":"row","arguments":[
                {"kind":"NAMED_TYPE_SIGNATURE","value":{"fieldName":{"name":"n"},"typeSignature":{"rawType":"decimal","arguments":[{"kind":"LONG_LITERAL","value":5},{"kind":"LONG_LITERAL","value":1}]}}}]}}]}
            """);
        Assert.Equal("map(varchar(5), row(n decimal(5,1)))", type.DisplayName);
        Assert.Equal(5, type.KeyType!.Length);
        Assert.Equal((5, 1), (type.ValueType!.Fields[0].Type.Precision, type.ValueType.Fields[0].Type.Scale));
    }

    [Fact]
    public void Presto_deprecated_type_and_literal_arguments_are_used_when_arguments_is_absent()
    {
        // A legacy server (Presto < 0.133): row field names are the literal arguments.
        var row = FromJson("""
            {"rawType":"row","typeArguments":[{"rawType":"bigint","typeArguments":[],"literalArguments":[]},
              {"rawType":"varchar","typeArguments":[],"literalArguments":[]}],"literalArguments":["id","name"]}
            """);
        Assert.Equal("row(id bigint, name varchar)", row.DisplayName);
        var array = FromJson("""{"rawType":"array","typeArguments":[{"rawType":"double","typeArguments":[],"literalArguments":[]}],"literalArguments":[]}""");
        Assert.Equal("double", array.ElementType!.DisplayName);
    }

    [Fact]
    public void A_presto_named_field_signature_may_be_a_type_name_string()
    {
        var row = FromJson("""
            {"rawType":"row","arguments":[{"kind":"NAMED_TYPE_SIGNATURE","value":{"fieldName":{"name":"ts","delimited":false},"typeSignature":"timestamp with time zone"}},
              {"kind":"NAMED_TYPE_SIGNATURE","value":{"fieldName":{"name":"tags","delimited":false},"typeSignature":"map(varchar,array(integer))"}}]}
            """);
        Assert.Equal("row(ts timestamp with time zone, tags map(varchar, array(integer)))", row.DisplayName);
    }

    [Fact]
    public void A_variable_argument_is_kept_in_the_name()
    {
        var type = FromJson("""{"rawType":"decimal","arguments":[{"kind":"VARIABLE","value":"p"},{"kind":"VARIABLE","value":"s"}]}""");
        Assert.Equal("decimal(p,s)", type.DisplayName);
        Assert.Null(type.Precision);
    }

    public static TheoryData<string, string> Names => new()
    {
        { "BIGINT", "bigint" },
        { "int", "integer" },
        { "INT", "integer" },
        { "double precision", "double" },
        { "varchar", "varchar" },
        { "VarChar(255)", "varchar(255)" },
        { "decimal(10, 2)", "decimal(10,2)" },
        { "timestamp", "timestamp" },
        { "timestamp(3)", "timestamp(3)" },
        { "timestamp(3) without time zone", "timestamp(3)" },
        { "timestamp(3) with time zone", "timestamp(3) with time zone" },
        { "TIME WITH TIME ZONE", "time with time zone" },
        { "interval day to second", "interval day to second" },
        { "INTERVAL YEAR TO MONTH", "interval year to month" },
        { "array<bigint>", "array(bigint)" },
        { "map<varchar,array<double>>", "map(varchar, array(double))" },
        { "map(varchar, bigint)", "map(varchar, bigint)" },
        { "row(a integer,b varchar)", "row(a integer, b varchar)" },
        { "row(a integer, \"b c\" array(varchar))", "row(a integer, \"b c\" array(varchar))" },
        { "row(\"say \"\"hi\"\"\" varchar)", "row(\"say \"\"hi\"\"\" varchar)" },
        { "row(timestamp(3) with time zone, double precision)", "row(timestamp(3) with time zone, double)" },
        { "row(timestamp timestamp(3) with time zone, interval interval day to second)", "row(timestamp timestamp(3) with time zone, interval interval day to second)" },
        { "row(x row(y array(map(varchar, row(z date)))))", "row(x row(y array(map(varchar, row(z date)))))" },
        { "array(row(integer, varchar))", "array(row(integer, varchar))" },
        { "qdigest(real)", "qdigest(real)" },
        { "SphericalGeography", "SphericalGeography" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Type_names_parse_to_Trino_spelling_and_read_back(string text, string displayName)
    {
        var type = TrinoType.Parse(text);
        Assert.Equal(displayName, type.DisplayName);
        Assert.Equal(type, TrinoType.Parse(type.DisplayName));
    }

    [Fact]
    public void Precision_scale_and_length_come_from_the_arguments()
    {
        Assert.Equal((10, 2), (TrinoType.Parse("decimal(10,2)").Precision, TrinoType.Parse("decimal(10,2)").Scale));
        Assert.Equal((38, 0), (TrinoType.Parse("decimal(38)").Precision, TrinoType.Parse("decimal(38)").Scale));
        Assert.Equal(12, TrinoType.Parse("timestamp(12) with time zone").Precision);
        Assert.Null(TrinoType.Parse("timestamp").Precision);
        Assert.Equal(3, TrinoType.Parse("char(3)").Length);
        Assert.Null(TrinoType.Parse("varchar").Length);
        Assert.Equal("bigint", TrinoType.Parse("array(bigint)").ElementType!.DisplayName);
        Assert.Equal(("date", "json"), (TrinoType.Parse("map(date, json)").KeyType!.DisplayName, TrinoType.Parse("map(date, json)").ValueType!.DisplayName));
        Assert.Empty(TrinoType.Parse("bigint").Fields);
    }

    [Theory]
    [InlineData("")]
    [InlineData("decimal(10,")]
    [InlineData("row()")]
    [InlineData("array")]
    [InlineData("map(varchar)")]
    [InlineData("timestamp(3) with zone")]
    [InlineData("bigint bigint")]
    [InlineData("row(\"open varchar)")]
    [InlineData("varchar;drop")]
    public void Text_that_is_no_type_name_is_a_format_error(string text)
    {
        Assert.Throws<FormatException>(() => TrinoType.Parse(text));
    }

    [Theory]
    [InlineData("""{"arguments":[]}""")]
    [InlineData("""{"rawType":"array","arguments":[{"kind":"LONG","value":1}]}""")]
    [InlineData("""{"rawType":"decimal","arguments":[{"kind":"SOMETHING","value":1}]}""")]
    [InlineData("""{"rawType":"row","arguments":[]}""")]
    [InlineData("""[1]""")]
    public void Json_that_is_no_type_signature_is_a_format_error(string json)
    {
        Assert.Throws<FormatException>(() => FromJson(json));
    }
}
