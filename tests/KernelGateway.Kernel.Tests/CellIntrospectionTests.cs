using KernelGateway.Kernel.Magics;

namespace KernelGateway.Kernel.Tests;

/// <summary>Where a cell magic's body starts, for completion and inspection inside it.</summary>
public sealed class CellIntrospectionTests
{
    [Fact]
    public void A_cursor_in_the_body_gets_the_magic_its_arguments_and_the_offset_in_the_body()
    {
        const string Code = "\n%%sql pg --out df\nSELECT * FROM t";
        var (cell, bodyStart) = CellIntrospection.At(Code, Code.Length)!.Value;
        Assert.Equal(("sql", "pg --out df", "SELECT * FROM t"), (cell.Magic, cell.Arguments, cell.Body));
        Assert.Equal(Code.IndexOf("SELECT", StringComparison.Ordinal), bodyStart);
        Assert.Equal("SELECT * FROM t".Length, cell.Offset);
    }

    [Theory]
    [InlineData("%%sql pg", 8)]         // on the magic's own line
    [InlineData("%%sql pg\nSELECT", 3)] // on the magic's line, before its end
    [InlineData("var x = 1;\n%%sql\nSELECT", 20)] // not the first line: no cell magic
    [InlineData("%sql SELECT 1\nx", 15)] // a line magic
    [InlineData("", 0)]
    public void Elsewhere_there_is_no_cell_body(string code, int offset) => Assert.Null(CellIntrospection.At(code, Math.Min(offset, code.Length)));
}
