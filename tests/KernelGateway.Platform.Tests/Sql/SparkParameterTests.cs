using KernelGateway.Platform.Sql;

namespace KernelGateway.Platform.Tests.Sql;

/// <summary>Spark SQL's named parameters: <c>@name</c> and <c>$name</c> become <c>:name</c>, outside Spark's literals.</summary>
public sealed class SparkParameterTests
{
    [Theory]
    [InlineData("select * from t where a = @a and b = $b", "select * from t where a = :a and b = :b", "a,b")]
    [InlineData("select :x, @x", "select :x, :x", "x")]
    [InlineData("select '@a', \"$b\", `@c` from t", "select '@a', \"$b\", `@c` from t", "")]
    [InlineData(@"select 'it\'s @a' || @b", @"select 'it\'s @a' || :b", "b")]
    [InlineData("select v::int, raw:owner, map[:k] -- @c\nfrom t /* $d */", "select v::int, raw:owner, map[:k] -- @c\nfrom t /* $d */", "k")]
    [InlineData("select x from t where y in (:a,:b)", "select x from t where y in (:a,:b)", "a,b")]
    [InlineData("select a@b, 1 $ 2", "select a@b, 1 $ 2", "")]
    public void References_are_rewritten_to_colon_names_outside_literals(string sql, string expected, string names)
    {
        var (text, found) = SqlText.RewriteSparkParameters(sql);
        Assert.Equal(expected, text);
        Assert.Equal(names, string.Join(",", found));
    }
}
