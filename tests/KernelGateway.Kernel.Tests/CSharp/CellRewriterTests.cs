using KernelGateway.Kernel.CSharp;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;

namespace KernelGateway.Kernel.Tests.CSharp;

/// <summary>The interrupt rewrite: what it adds, that lines stay the user's, and that what compiled still compiles.</summary>
public sealed class CellRewriterTests
{
    private static readonly CSharpParseOptions Script = new(LanguageVersion.Preview, kind: SourceCodeKind.Script);

    [Theory]
    [InlineData("while (true) {}")]
    [InlineData("var i = 0;\nwhile (i < 3)\n    i++;")]
    [InlineData("for (var i = 0; i < 3; i++) Console.Write(i);")]
    [InlineData("foreach (var (a, b) in new[] { (1, 2) }) { }")]
    [InlineData("do { } while (false);")]
    [InlineData("int F(int n) => n < 2 ? n : F(n - 1) + F(n - 2);\nF(5)")]
    [InlineData("void G() => Console.WriteLine(1);\nG();")]
    [InlineData("async Task H() => await Task.Delay(1);\nawait H();")]
    [InlineData("async Task<int> K() => await Task.FromResult(1);\nawait K()")]
    [InlineData("var t = Task.FromResult(5L);\n$\"{await t} and {await Task.FromResult(1)}\"")]
    [InlineData("await Task.Yield();\nawait new ValueTask<int>(1)")]
    [InlineData("await Task.Delay(1).ConfigureAwait(false);")]
    [InlineData("Func<int, int> f = x => { return x + 1; };\nAction a = delegate { };\nf(1)")]
    [InlineData("class C { public C() { } public int M() { for (;;) { return 1; } } }\nnew C().M()")]
    [InlineData("var k = $\"{Console.ReadKey().KeyChar}\";")]
    public void A_cell_that_compiles_still_compiles_rewritten_on_the_same_lines(string code)
    {
        var rewritten = CellRewriter.Rewrite(code, Script);
        Assert.NotEqual(code, rewritten);
        Assert.Equal(code.Split('\n').Length, rewritten.Split('\n').Length);
        var options = new CellOptions().Build();
        Assert.Empty(Errors(code, options));
        Assert.Empty(Errors(rewritten, options));
    }

    [Fact]
    public void Loops_and_bodies_check_and_awaits_are_wrapped_by_where_they_are()
    {
        var rewritten = CellRewriter.Rewrite("while (true) { }\nasync Task F() { await Task.Delay(1); }\nawait Task.Delay(1);", Script);
        var lines = rewritten.Split('\n');
        Assert.Contains("CellInterrupt.Check();", lines[0]);
        Assert.Contains("CellInterrupt.Check();", lines[1]);
        Assert.Contains("CellInterrupt.Within(Task.Delay(1))", lines[1]);
        Assert.Contains("CellInterrupt.Top(Task.Delay(1))", lines[2]);
    }

    [Fact]
    public void A_cell_with_nothing_to_rewrite_is_left_as_it_is()
    {
        const string code = "40 + 2";
        Assert.Same(code, CellRewriter.Rewrite(code, Script));
    }

    private static IEnumerable<string> Errors(string code, Microsoft.CodeAnalysis.Scripting.ScriptOptions options) =>
        CSharpScript.Create(code, options).Compile().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString());
}
