using KernelGateway.Platform.Spark.Connect;

namespace KernelGateway.Platform.Tests.Spark;

/// <summary>Statements and parameters as Spark's SQL relation (relations.proto SQL: query, named_arguments, pos_arguments).</summary>
public sealed class SparkParametersTests
{
    private sealed record Filter(long Id, string Name);

    [Fact]
    public void Named_values_travel_as_literal_arguments_never_in_the_text()
    {
        const string evil = "'; drop table x; --";
        var sql = SparkParameters.Sql("SELECT * FROM t WHERE name = :name AND id > :id", new { name = evil, id = 5 }).Sql;
        Assert.Equal("SELECT * FROM t WHERE name = :name AND id > :id", sql.Query);
        Assert.Equal(evil, sql.NamedArguments["name"].Literal.String);
        Assert.Equal(5, sql.NamedArguments["id"].Literal.Integer);
        Assert.Empty(sql.PosArguments);
    }

    [Fact]
    public void At_names_are_rewritten_to_sparks_colon_names_outside_literals_and_comments()
    {
        var sql = SparkParameters.Sql("SELECT '@kept', @Id -- @also_kept\nFROM t WHERE n = $name", new Filter(7, "x")).Sql;
        Assert.Equal("SELECT '@kept', :Id -- @also_kept\nFROM t WHERE n = :name", sql.Query);
        Assert.Equal(7L, sql.NamedArguments["Id"].Literal.Long);
        Assert.Equal("x", sql.NamedArguments["name"].Literal.String);
    }

    [Fact]
    public void Sparks_own_lexical_rules_decide_what_is_a_parameter()
    {
        var sql = SparkParameters.Sql(@"SELECT 'it\'s @not', `@col`, v::int, @yes, :also WHERE x = '?\'?' AND y = ?", new { yes = 1, also = 2 }).Sql;
        Assert.Equal(@"SELECT 'it\'s @not', `@col`, v::int, :yes, :also WHERE x = '?\'?' AND y = ?", sql.Query);
        Assert.Equal(["also", "yes"], sql.NamedArguments.Keys.Order());
        Assert.Single(SparkParameters.Sql(@"SELECT '?\'?' , ?", new[] { 5 }).Sql.PosArguments);
        Assert.Contains(":missing has no value", Assert.Throws<ArgumentException>(() => SparkParameters.Sql("SELECT :missing", new { other = 1 })).Message);
    }

    [Fact]
    public void A_dictionary_gives_names_and_values()
    {
        var sql = SparkParameters.Sql("SELECT :d", new Dictionary<string, object?> { ["@d"] = new DateOnly(2024, 1, 1) }).Sql;
        Assert.Equal(19723, sql.NamedArguments["d"].Literal.Date);
    }

    [Fact]
    public void A_list_binds_question_marks_in_order()
    {
        var sql = SparkParameters.Sql("SELECT ?, ? WHERE '?' <> ?", new object?[] { 1, "b", null }).Sql;
        Assert.Equal([1, 0, 0], sql.PosArguments.Select(a => a.Literal.Integer));
        Assert.Equal("b", sql.PosArguments[1].Literal.String);
        Assert.Empty(sql.NamedArguments);
    }

    [Fact]
    public void Missing_or_surplus_values_are_refused_before_anything_is_sent()
    {
        Assert.Contains(":day has no value", Assert.Throws<ArgumentException>(() => SparkParameters.Sql("SELECT @day", new { other = 1 })).Message);
        Assert.Contains("2 ? placeholders but 1 value", Assert.Throws<ArgumentException>(() => SparkParameters.Sql("SELECT ?, ?", new[] { 1 })).Message);
        Assert.Contains("not a string", Assert.Throws<ArgumentException>(() => SparkParameters.Sql("SELECT 1", "x")).Message);
    }

    [Fact]
    public void Without_parameters_the_text_goes_as_it_is()
    {
        var sql = SparkParameters.Sql("SELECT '@x'", null).Sql;
        Assert.Equal("SELECT '@x'", sql.Query);
        Assert.Empty(sql.NamedArguments);
    }
}
