using KernelGateway.Platform.Metastore;

namespace KernelGateway.Platform.Tests.Metastore;

public sealed class MetastoreAddressTests
{
    [Theory]
    [InlineData("main", "main")]
    [InlineData("_x$1", "_x$1")]
    [InlineData("Sales", "\"Sales\"")]
    [InlineData("a.b", "\"a.b\"")]
    [InlineData("my table", "\"my table\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("café", "\"café\"")]
    [InlineData("1st", "\"1st\"")]
    [InlineData("my-pg", "\"my-pg\"")]
    public void A_part_is_quoted_only_when_it_is_not_a_plain_lowercase_identifier(string part, string written)
    {
        Assert.Equal(written, MetastoreAddress.Quote(part));
        Assert.Equal(written != part, MetastoreAddress.NeedsQuoting(part));
    }

    public static TheoryData<string[]> TrickyAddresses => new()
    {
        new[] { "warehouse" },
        new[] { "warehouse", "memory", "main", "sessions" },
        new[] { "pg", "postgres", "Odd.Schema", "My \"Quoted\" Table", "Mixed Case" },
        new[] { "pg", "db", "ünïcode", "表", "\"" },
        new[] { "pg", "db", "a..b", " padded ", "." },
    };

    [Theory]
    [MemberData(nameof(TrickyAddresses))]
    public void Every_address_survives_formatting_and_parsing(string[] parts)
    {
        var address = new MetastoreAddress(parts[0], parts.ElementAtOrDefault(1), parts.ElementAtOrDefault(2), parts.ElementAtOrDefault(3), parts.ElementAtOrDefault(4));
        var text = address.ToString();
        var back = MetastoreAddress.Parse(text);
        Assert.Equal(address, back);
        Assert.Equal(parts, back.Parts);
        Assert.Equal((MetastoreLevel)parts.Length, back.Level);
        Assert.Equal(text, back.ToString());
    }

    [Fact]
    public void Unquoted_parts_are_taken_as_written_without_case_folding()
    {
        var address = MetastoreAddress.Parse("  pg.Postgres.Public.Ünïcode  ");
        Assert.Equal(["pg", "Postgres", "Public", "Ünïcode"], address.Parts);
        Assert.Equal("pg.\"Postgres\".\"Public\".\"Ünïcode\"", address.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("a..b", "empty name at position 2")]
    [InlineData(".a", "empty name at position 0")]
    [InlineData("a.", "ends with '.'")]
    [InlineData("a.\"open", "quote at position 2 is not closed")]
    [InlineData("a.\"q\"x", "expected '.' at position 5")]
    [InlineData("a.\"\"", "empty name at position 2")]
    [InlineData("a.my table", "whitespace inside an unquoted name at position 4")]
    [InlineData("a.b\"c", "a quote inside an unquoted name at position 3")]
    [InlineData("a.b.c.d.e.f", "more than 5 parts")]
    public void Malformed_addresses_are_refused_with_what_is_wrong_and_where(string text, string reason)
    {
        var e = Assert.Throws<FormatException>(() => MetastoreAddress.Parse(text));
        Assert.Contains(reason, e.Message);
        Assert.False(MetastoreAddress.TryParse(text, out _));
    }

    [Fact]
    public void Parent_and_child_walk_the_levels()
    {
        var column = MetastoreAddress.Parse("pg.db.\"S\".t.c");
        Assert.Equal(MetastoreLevel.Column, column.Level);
        Assert.Equal("c", column.Name);
        Assert.Equal(MetastoreAddress.Parse("pg.db.\"S\".t"), column.Parent);
        Assert.Equal(column, column.Parent!.Child("c"));
        Assert.Null(new MetastoreAddress("pg").Parent);
        Assert.Throws<InvalidOperationException>(() => column.Child("x"));
    }

    [Fact]
    public void An_address_cannot_skip_a_level_or_hold_an_empty_part()
    {
        Assert.Throws<ArgumentException>(() => new MetastoreAddress("pg", null, "schema"));
        Assert.Throws<ArgumentException>(() => new MetastoreAddress("pg", ""));
    }
}
