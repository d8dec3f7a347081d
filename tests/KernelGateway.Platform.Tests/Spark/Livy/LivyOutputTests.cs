using System.Text.Json;
using KernelGateway.Formatting.Tabular;
using KernelGateway.Platform.Spark.Livy;

namespace KernelGateway.Platform.Tests.Spark.Livy;

/// <summary>Statement outputs as Livy writes them (samples from Livy's own SQLInterpreterSpec and Python shell) sorted for display.</summary>
public sealed class LivyOutputTests
{
    private static LivyStatementOutput Output(string json) => JsonSerializer.Deserialize(json, LivyJsonContext.Default.LivyStatementOutput)!;

    [Fact]
    public void A_sql_result_with_Livys_own_shapes_becomes_a_typed_table()
    {
        // SQLInterpreterSpec: "execute sql queries", "handle java.sql.Date", "handle java BigDecimal" (decimals written as doubles).
        var output = Output("""
            {"status":"ok","execution_count":3,"data":{"application/json":{
              "schema":{"type":"struct","fields":[
                {"name":"name","type":"string","nullable":true,"metadata":{}},
                {"name":"age","type":"integer","nullable":false,"metadata":{}},
                {"name":"birthday","type":"date","nullable":true,"metadata":{}},
                {"name":"col2","type":"decimal(38,18)","nullable":true,"metadata":{}},
                {"name":"seen","type":"timestamp","nullable":true,"metadata":{}}]},
              "data":[["Jerry",20,"2019-07-24",1.0,"2019-07-24T10:11:12Z"],["Michael",21,null,2.0,null]]}}}
            """);

        var result = LivyStatementResult.From(output);

        Assert.Null(result.Json);
        Assert.Equal(3, result.ExecutionCount);
        var table = result.Table!;
        Assert.Equal([("name", typeof(string)), ("age", typeof(int)), ("birthday", typeof(DateOnly)), ("col2", typeof(decimal)), ("seen", typeof(DateTime))],
            table.Columns.Select(c => (c.Name, c.ClrType)));
        Assert.Equal(new object?[] { "Jerry", 20, new DateOnly(2019, 7, 24), 1.0m, new DateTime(2019, 7, 24, 10, 11, 12, DateTimeKind.Utc) }, table.Rows[0]);
        Assert.Equal(DateTimeKind.Utc, ((DateTime)table.Rows[0][4]!).Kind);
        Assert.Equal(new object?[] { "Michael", 21, null, 2.0m, null }, table.Rows[1]);
    }

    [Fact]
    public void Nested_spark_types_become_arrays_and_dictionaries_named_as_spark_names_them()
    {
        var output = Output("""
            {"status":"ok","execution_count":0,"data":{"application/json":{
              "schema":{"type":"struct","fields":[
                {"name":"xs","type":{"type":"array","elementType":"integer","containsNull":true},"nullable":true,"metadata":{}},
                {"name":"m","type":{"type":"map","keyType":"string","valueType":"long","valueContainsNull":true},"nullable":true,"metadata":{}},
                {"name":"s","type":{"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},
                {"name":"bin","type":"binary","nullable":true,"metadata":{}}]},
              "data":[[[1,2],{"k":3},{"a":4},[1,-1]]]}}}
            """);

        var table = LivyStatementResult.From(output).Table!;

        Assert.Equal(["array<int>", "map<string,bigint>", "struct<a:int>", "binary"], table.Columns.Select(c => c.EngineType));
        var row = table.Rows[0];
        Assert.Equal(new object?[] { 1L, 2L }, (object?[])row[0]!);
        Assert.Equal(3L, ((IReadOnlyDictionary<string, object?>)row[1]!)["k"]);
        Assert.Equal(4L, ((IReadOnlyDictionary<string, object?>)row[2]!)["a"]);
        Assert.Equal(new byte[] { 1, 255 }, (byte[])row[3]!);
    }

    [Fact]
    public void A_python_int_column_widens_to_long_when_a_value_does_not_fit_an_int()
    {
        var output = Output("""
            {"status":"ok","execution_count":1,"data":{"application/vnd.livy.table.v1+json":{
              "headers":[{"name":"id","type":"INT_TYPE"},{"name":"small","type":"INT_TYPE"},{"name":"total","type":"BIGINT_TYPE"}],
              "data":[[1,1,10],[4294967296,2,null]]}}}
            """);

        var table = LivyStatementResult.From(output).Table!;

        Assert.Equal([typeof(long), typeof(int), typeof(long)], table.Columns.Select(c => c.ClrType));
        Assert.Equal(new object?[] { 4294967296L, 2, null }, table.Rows[1]);
    }

    [Fact]
    public void A_column_whose_values_do_not_read_as_its_type_is_kept_as_text()
    {
        var output = Output("""
            {"status":"ok","execution_count":1,"data":{"application/vnd.livy.table.v1+json":{
              "headers":[{"name":"d","type":"DATE_TYPE"}],"data":[["2024-01-02"],["not a date"]]}}}
            """);

        var column = LivyStatementResult.From(output).Table!;

        Assert.Equal(typeof(string), column.Columns[0].ClrType);
        Assert.Equal(["2024-01-02", "not a date"], column.Rows.Select(r => r[0]));
    }

    [Fact]
    public void An_error_output_throws_its_ename_evalue_and_traceback()
    {
        var output = Output("""{"status":"error","execution_count":7,"ename":"NameError","evalue":"name 'x' is not defined","traceback":["Traceback (most recent call last):\n","NameError: name 'x' is not defined\n"]}""");

        var e = Assert.Throws<LivyStatementException>(() => LivyStatementResult.From(output, 2, 7));

        Assert.Equal((2, 7, "NameError", "name 'x' is not defined"), (e.SessionId, e.StatementId, e.EName, e.EValue));
        Assert.Equal(2, e.Traceback.Count);
    }

    [Fact]
    public void A_livy_table_becomes_the_tabular_display_with_table_schema_types()
    {
        var table = LivyStatementResult.From(Output("""
            {"status":"ok","execution_count":0,"data":{"application/json":{
              "schema":{"type":"struct","fields":[{"name":"n","type":"long","nullable":true,"metadata":{}},{"name":"day","type":"date","nullable":true,"metadata":{}},
                {"name":"x","type":"double","nullable":true,"metadata":{}},{"name":"at","type":"timestamp","nullable":true,"metadata":{}}]},
              "data":[[1,"2024-02-29",0.5,"2024-02-29T01:02:03Z"]]}}}
            """)).Table!;

        var display = TabularResult.FromFields([.. table.Columns.Select(c => new TableField(c.Name, TableSchemaTypes.For(c.ClrType), c.ClrType, c.EngineType))], table.Rows, false, null);

        Assert.Equal(["integer", "date", "number", "datetime"], display.Fields.Select(f => f.Type));
        Assert.Equal(1, display.TotalRows);
        Assert.Equal(new DateOnly(2024, 2, 29), display.Rows[0][1]);
    }
}
