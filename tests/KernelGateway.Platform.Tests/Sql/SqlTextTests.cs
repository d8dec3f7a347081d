using KernelGateway.Platform.Sql;

namespace KernelGateway.Platform.Tests.Sql;

public sealed class SqlTextTests
{
    [Fact]
    public void Statements_know_where_they_start_in_the_script()
    {
        var script = "select 1;\n  select ';' as a ;select 3\n";
        var statements = SqlText.Split(script);
        Assert.Equal(["select 1", "select ';' as a", "select 3"], statements.Select(s => s.Text));
        Assert.All(statements, s => Assert.Equal(s.Text, script.Substring(s.Offset, s.Text.Length)));
    }

    [Fact]
    public void Named_references_become_positional_in_order_and_repeats_count_twice()
    {
        var (sql, names) = SqlText.ToPositional("select @a, '@b', $c, x::int from t where e = @a -- @d\n and f = ?");
        Assert.Equal("select ?, '@b', ?, x::int from t where e = ? -- @d\n and f = ?", sql);
        Assert.Equal(["a", "c", "a"], names);
        Assert.Equal(4, SqlText.CountPositional(sql));
        Assert.Equal(0, SqlText.CountPositional("select '?' /* ? */ -- ?"));
    }
}
