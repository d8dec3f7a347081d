using KernelGateway.Kernel.Magics;

namespace KernelGateway.Kernel.Tests.Magics;

/// <summary>How every magic splits its argument line.</summary>
public sealed class MagicArgumentsTests
{
    [Fact]
    public void Words_split_on_whitespace_outside_double_quotes_and_lose_their_quotes()
    {
        Assert.Equal(["pg", "kind=postgres", "connection_string=Host=h;Password=a b"],
            MagicArguments.Split("  pg\tkind=postgres   connection_string=\"Host=h;Password=a b\" "));
    }

    [Fact]
    public void Quotes_are_kept_when_asked_so_quoted_address_parts_survive()
    {
        Assert.Equal(["describe", "pg.public.\"Play Log\"", "--like", "\"a b\""],
            MagicArguments.Split("describe pg.public.\"Play Log\" --like \"a b\"", keepQuotes: true));
    }

    [Fact]
    public void An_empty_line_has_no_words() => Assert.Empty(MagicArguments.Split("   "));
}
