using KernelGateway.Extensions.Metastore.SqlCompletion;

namespace KernelGateway.Extensions.Metastore.Tests;

/// <summary>The lexer, the cursor's context and the dialects' spelling of names, on their own (‸ marks the cursor).</summary>
public sealed class SqlCursorTests
{
    private static SqlCursor At(string marked, SqlDialect? dialect = null)
    {
        var at = marked.IndexOf('‸', StringComparison.Ordinal);
        return SqlCursor.At(marked.Remove(at, 1), at, dialect ?? SqlDialect.DuckDb);
    }

    [Theory]
    [InlineData("SELECT * FROM ‸", "Table", "", "")]
    [InlineData("SELECT * FROM sa‸", "Table", "", "sa")]
    [InlineData("SELECT * FROM main.sa‸", "Table", "main", "sa")]
    [InlineData("SELECT * FROM c.main.‸", "Table", "c.main", "")]
    [InlineData("SELECT * FROM a JOIN b‸", "Table", "", "b")]
    [InlineData("SELECT * FROM a, b‸", "Table", "", "b")]
    [InlineData("INSERT INTO t‸", "Table", "", "t")]
    [InlineData("SELECT ‸ FROM t", "Column", "", "")]
    [InlineData("SELECT a, b‸ FROM t", "Column", "", "b")]
    [InlineData("SELECT x.‸ FROM t x", "Column", "x", "")]
    [InlineData("SELECT * FROM t WHERE a = 1 AND b‸", "Column", "", "b")]
    [InlineData("SELECT * FROM t GROUP BY ‸", "Column", "", "")]
    [InlineData("SELECT sum(am‸) FROM t", "Column", "", "am")]
    [InlineData("SELECT * FROM t WH‸", "Keyword", "", "WH")]
    [InlineData("SEL‸", "Keyword", "", "SEL")]
    [InlineData("SELECT 'a b‸", "Nothing", "", "")]
    [InlineData("SELECT 1 -- FROM ‸", "Nothing", "", "")]
    [InlineData("SELECT 1 /* FROM ‸", "Nothing", "", "")]
    [InlineData("SELECT 1 /* x */ FROM ‸", "Table", "", "")]
    [InlineData("SELECT 1; SELECT * FROM ‸", "Table", "", "")]
    public void The_cursor_knows_what_its_position_expects(string sql, string expectedName, string qualifier, string prefix)
    {
        var expected = Enum.Parse<SqlExpected>(expectedName);
        var cursor = At(sql);
        Assert.Equal(expected, cursor.Expected);
        if (expected == SqlExpected.Nothing) return;
        Assert.Equal(qualifier, string.Join('.', cursor.Qualifier));
        Assert.Equal(prefix, cursor.Prefix);
    }

    [Fact]
    public void An_open_quoted_name_is_the_prefix_and_its_quote_starts_the_replaced_span()
    {
        var cursor = At("SELECT * FROM \"Play L‸");
        Assert.Equal("Play L", cursor.Prefix);
        Assert.Equal("SELECT * FROM ".Length, cursor.Start);
        var spark = At("SELECT * FROM `a``b‸", SqlDialect.Spark);
        Assert.Equal("a`b", spark.Prefix);
    }

    [Fact]
    public void A_quote_left_open_at_the_cursor_does_not_swallow_the_rest_of_the_statement()
    {
        var cursor = At("SELECT \"Grö‸ FROM \"Ströme \"\"Q\"\".v1\" s");
        Assert.Equal(("Grö", true, SqlExpected.Column), (cursor.Prefix, cursor.PrefixQuoted, cursor.Expected));
        var table = Assert.Single(cursor.Tables);
        Assert.Equal(["Ströme \"Q\".v1"], table.Parts);
        Assert.Equal("s", table.Alias);
    }

    [Fact]
    public void A_cursor_inside_a_word_completes_what_is_before_it()
    {
        var cursor = At("SELECT * FROM pla‸ys");
        Assert.Equal("pla", cursor.Prefix);
        Assert.Equal(SqlExpected.Table, cursor.Expected);
    }

    [Fact]
    public void The_statements_tables_and_aliases_are_read_before_and_after_the_cursor()
    {
        var cursor = At("SELECT ‸ FROM main.plays AS p, c.s.t JOIN \"Play Log\" l ON p.id = l.id WHERE 1; SELECT * FROM other");
        Assert.Equal(
            [("main.plays", "p"), ("c.s.t", null), ("Play Log", "l")],
            cursor.Tables.Select(t => (string.Join('.', t.Parts), t.Alias)).ToList());
        Assert.True(cursor.Tables[0].IsCalled("P"));
        Assert.True(cursor.Tables[1].IsCalled("t"));
        var noAlias = At("SELECT ‸ FROM plays WHERE x = 1");
        Assert.Null(Assert.Single(noAlias.Tables).Alias);
    }

    [Theory]
    [InlineData("plays", "plays", "plays", "plays")]
    [InlineData("Plays", "Plays", "\"Plays\"", "Plays")]
    [InlineData("play log", "\"play log\"", "\"play log\"", "`play log`")]
    [InlineData("a\"b", "\"a\"\"b\"", "\"a\"\"b\"", "`a\"b`")]
    [InlineData("a`b", "\"a`b\"", "\"a`b\"", "`a``b`")]
    [InlineData("größe", "\"größe\"", "\"größe\"", "`größe`")]
    [InlineData("select", "\"select\"", "\"select\"", "`select`")]
    [InlineData("x.y", "\"x.y\"", "\"x.y\"", "`x.y`")]
    [InlineData("_1a", "_1a", "_1a", "_1a")]
    public void Each_dialect_spells_names_as_its_engine_reads_them(string name, string duckdb, string folding, string spark)
    {
        Assert.Equal(duckdb, SqlDialect.DuckDb.Spell(name));
        Assert.Equal(folding, SqlDialect.Folding.Spell(name));
        Assert.Equal(spark, SqlDialect.Spark.Spell(name));
    }

    [Theory]
    [InlineData("spark", '`')]
    [InlineData("trino", '"')]
    [InlineData("presto", '"')]
    [InlineData("postgres", '"')]
    [InlineData("duckdb", '"')]
    public void A_connection_kind_has_its_dialect(string kind, char quote) => Assert.Equal(quote, SqlDialect.For(kind).Quote);

    [Theory]
    [InlineData("", null)]
    [InlineData("pg", "pg")]
    [InlineData("--out df pg", "pg")]
    [InlineData("--limit 5 --connection lake", "lake")]
    [InlineData("-c lake --out df", "lake")]
    [InlineData("--param a=1 pg --out x", "pg")]
    public void The_magic_line_names_the_cells_connection(string arguments, string? connection) =>
        Assert.Equal(connection, SqlCellIntrospector.ConnectionArgument(arguments));
}
