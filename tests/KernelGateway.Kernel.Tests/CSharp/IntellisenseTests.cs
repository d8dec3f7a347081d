using KernelGateway.Kernel.CSharp.Intellisense;
using KernelGateway.Kernel.Engine;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace KernelGateway.Kernel.Tests.CSharp;

/// <summary>
/// Completion and inspection of C# cells from the Roslyn script chain: earlier cells really run
/// (<see cref="CSharpScript.RunAsync(string, ScriptOptions, object, Type, CancellationToken)"/>), then the next cell
/// is completed or inspected without running.
/// </summary>
public sealed class IntellisenseTests
{
    private static readonly ScriptOptions Options = ScriptOptions.Default
        .AddReferences(typeof(object).Assembly, typeof(Enumerable).Assembly, typeof(Console).Assembly, typeof(List<>).Assembly)
        .AddImports("System", "System.Linq", "System.Collections.Generic");

    private readonly CSharpIntellisense _intellisense = new();

    /// <summary>Runs the cells one after the other, as the kernel does, and returns the last one's state.</summary>
    private static async Task<ScriptState<object>> RunState(params string[] cells)
    {
        var state = await CSharpScript.RunAsync(cells[0], Options, new IntellisenseGlobals(), typeof(IntellisenseGlobals));
        foreach (var cell in cells.Skip(1))
            state = await state.ContinueWithAsync(cell, Options);
        return state;
    }

    private static async Task<Script?> Run(params string[] cells) => (await RunState(cells)).Script;

    private CompletionResult Complete(Script? previous, string code, int? offset = null) =>
        _intellisense.Complete(previous, Options, typeof(IntellisenseGlobals), code, offset ?? code.Length, CancellationToken.None);

    private string? Inspect(Script? previous, string code, int? offset = null, string mime = "text/plain") =>
        _intellisense.Inspect(previous, Options, typeof(IntellisenseGlobals), code, offset ?? code.Length, 0, CancellationToken.None)?.Data[mime]?.GetValue<string>();

    private static List<string> Texts(CompletionResult result) => result.Matches.Select(m => m.Text).ToList();

    private static string KindOf(CompletionResult result, string text) => Assert.Single(result.Matches, m => m.Text == text).Kind;

    [Fact]
    public async Task After_a_dot_a_variable_from_an_earlier_cell_offers_its_instance_members_once_each()
    {
        var previous = await Run("var numbers = new List<int> { 1, 2, 3 };");
        var code = "var total = 0;\nnumbers.";

        var result = Complete(previous, code);

        Assert.Equal((code.Length, code.Length), (result.Start, result.End));
        Assert.Equal("method", KindOf(result, "Add"));
        Assert.Equal("property", KindOf(result, "Count"));
        Assert.Equal("method", KindOf(result, "ToString"));
        // Overloads collapse (List<int>.Sort has four); accessors, constructors and statics stay out.
        Assert.Single(result.Matches, m => m.Text == "Sort");
        Assert.DoesNotContain(result.Matches, m => m.Text.StartsWith("get_", StringComparison.Ordinal) || m.Text.Contains('<') || m.Text.Contains('.'));
        Assert.DoesNotContain("ReferenceEquals", Texts(result));
        Assert.Equal("int List<int>.Count { get; }", Assert.Single(result.Matches, m => m.Text == "Count").Signature);
    }

    [Fact]
    public async Task Linq_extension_methods_in_scope_complete_on_a_list_filtered_by_what_is_typed()
    {
        var previous = await Run("var numbers = new List<int> { 1, 2, 3 };");
        var code = "numbers.Wh";

        var result = Complete(previous, code);

        Assert.Equal(["Where"], Texts(result));
        Assert.Equal("method", result.Matches[0].Kind);
        Assert.Equal((code.Length - 2, code.Length), (result.Start, result.End));
        Assert.Contains("Where", result.Matches[0].Signature);
        Assert.Contains(Texts(Complete(previous, "numbers.")), t => t is "Select" or "OrderBy" or "Sum");
    }

    [Fact]
    public async Task Extension_methods_and_types_are_offered_only_once_a_cell_imports_their_namespace()
    {
        const string nested = "var nested = System.Threading.Tasks.Task.FromResult(System.Threading.Tasks.Task.CompletedTask);";
        var previous = await Run(nested);
        var imported = await Run(nested, "using System.Threading.Tasks;");

        Assert.Empty(Complete(previous, "nested.Unwr").Matches);
        Assert.DoesNotContain("Parallel", Texts(Complete(previous, "Paral")));
        Assert.Equal(["Unwrap"], Texts(Complete(imported, "nested.Unwr")));
        Assert.Equal("class", KindOf(Complete(imported, "Paral"), "Parallel"));
    }

    [Fact]
    public async Task After_a_type_name_only_static_members_are_offered()
    {
        var previous = await Run("var s = \"text\";");

        var onType = Texts(Complete(previous, "string."));
        var onValue = Texts(Complete(previous, "s."));

        Assert.Contains("IsNullOrEmpty", onType);
        Assert.Contains("Empty", onType);
        Assert.DoesNotContain("Length", onType);
        Assert.DoesNotContain("Substring", onType);
        Assert.Contains("Length", onValue);
        Assert.DoesNotContain("IsNullOrEmpty", onValue);
        Assert.DoesNotContain("Empty", onValue);
        Assert.Equal("field", KindOf(Complete(previous, "string.Emp"), "Empty"));
        // jupyter_kernel_test's completion sample compares the whole set.
        Assert.Equal(["Max", "MaxMagnitude"], Texts(Complete(previous, "Math.Ma")));
    }

    [Fact]
    public async Task After_a_namespace_its_namespaces_and_types_are_offered()
    {
        var previous = await Run("1");

        var generic = Complete(previous, "System.Collections.Generic.");
        var system = Complete(previous, "System.");

        Assert.Equal("class", KindOf(generic, "List"));
        Assert.Equal("interface", KindOf(generic, "IEnumerable"));
        Assert.DoesNotContain("Console", Texts(generic));
        Assert.Equal("namespace", KindOf(system, "Collections"));
        Assert.Equal("class", KindOf(system, "Console"));
        Assert.Equal("enum", KindOf(system, "DayOfWeek"));
        Assert.Equal("struct", KindOf(system, "DateTime"));
        Assert.Equal(["Linq"], Texts(Complete(previous, "using System.Lin")));
    }

    [Fact]
    public async Task Types_and_members_marked_never_browsable_are_hidden_but_a_cell_s_own_are_not()
    {
        var options = Options.AddReferences(typeof(Extensions.CellGlobals).Assembly);
        var previous = (await CSharpScript.RunAsync("[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)] class Hidden { }", options)).Script;

        var kernel = _intellisense.Complete(previous, options, null, "KernelGateway.Kernel.Extensions.", "KernelGateway.Kernel.Extensions.".Length, CancellationToken.None);
        var own = _intellisense.Complete(previous, options, null, "Hid", 3, CancellationToken.None);

        Assert.Contains("IKernelExtension", Texts(kernel));
        Assert.DoesNotContain("CellGlobals", Texts(kernel));
        Assert.Equal(["Hidden"], Texts(own));
    }

    [Fact]
    public async Task Console_WriteL_completes_to_exactly_WriteLine_as_a_method()
    {
        var code = "var s = \"é😀\"; Console.WriteL";

        var result = Complete(await Run("1"), code);

        Assert.Equal(["WriteLine"], Texts(result));
        Assert.Equal("method", result.Matches[0].Kind);
        Assert.Equal((code.Length - "WriteL".Length, code.Length), (result.Start, result.End));
    }

    [Fact]
    public async Task At_the_start_of_a_statement_locals_cell_variables_types_and_keywords_are_offered()
    {
        var previous = await Run("var numbers = new List<int> { 1, 2, 3 };", "int Twice(int x) => 2 * x;");
        var code = "foreach (var item in numbers)\n{\n    var doubled = Twice(item);\n    ";

        var result = Complete(previous, code);

        Assert.Equal("local", KindOf(result, "item"));
        Assert.Equal("local", KindOf(result, "doubled"));
        Assert.Equal("variable", KindOf(result, "numbers"));
        Assert.Equal("method", KindOf(result, "Twice"));
        Assert.Equal("class", KindOf(result, "Console"));
        Assert.Equal("namespace", KindOf(result, "System"));
        Assert.Equal("keyword", KindOf(result, "foreach"));
        Assert.Equal("keyword", KindOf(result, "return"));
        Assert.Equal("keyword", KindOf(result, "int"));
        Assert.DoesNotContain("MemberwiseClone", Texts(result));
        Assert.DoesNotContain(result.Matches, m => m.Text.Contains('<') || m.Text.Contains('#'));
        Assert.Equal("int item", Assert.Single(result.Matches, m => m.Text == "item").Signature);
        Assert.Equal("List<int> numbers", Assert.Single(result.Matches, m => m.Text == "numbers").Signature);
    }

    [Fact]
    public async Task Globals_and_using_static_members_of_earlier_cells_are_in_scope()
    {
        var previous = await Run("using static System.Math;");

        Assert.Equal(["Sqrt"], Texts(Complete(previous, "Sqr")));
        Assert.Equal("property", KindOf(Complete(previous, "Answ"), "Answer"));
        Assert.Equal("int IntellisenseGlobals.Answer { get; }", Complete(previous, "Answ").Matches[0].Signature);
    }

    [Fact]
    public async Task A_later_cell_redeclaring_a_variable_wins()
    {
        var previous = await Run("var value = 1;", "var value = \"now a string\";");

        var result = Complete(previous, "valu");

        Assert.Equal("string value", Assert.Single(result.Matches, m => m.Text == "value").Signature);
        Assert.Contains("Length", Texts(Complete(previous, "value.")));
    }

    [Fact]
    public async Task Matching_ignores_case_and_puts_exact_case_prefixes_first_then_sorts_by_name()
    {
        var previous = await Run("var conventional = 1;", "var Contract = 2;");

        var texts = Texts(Complete(previous, "con"));

        Assert.Equal(["const", "continue", "conventional"], texts.TakeWhile(t => t.StartsWith("con", StringComparison.Ordinal)));
        var rest = texts.SkipWhile(t => t.StartsWith("con", StringComparison.Ordinal)).ToList();
        Assert.Contains("Console", rest);
        Assert.Contains("Contract", rest);
        Assert.Equal(rest.Order(StringComparer.OrdinalIgnoreCase), rest);
        Assert.All(texts, t => Assert.StartsWith("con", t, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Null_conditional_access_offers_the_members_of_the_underlying_type()
    {
        var previous = await Run("string? maybe = null; int? count = 3;");

        Assert.Equal(["Length"], Texts(Complete(previous, "maybe?.Len")));
        Assert.Contains("CompareTo", Texts(Complete(previous, "count?.")));
        Assert.DoesNotContain("HasValue", Texts(Complete(previous, "count?.")));
        Assert.Contains("HasValue", Texts(Complete(previous, "count.")));
    }

    [Fact]
    public async Task A_fluent_chain_across_lines_completes_on_the_previous_call_result()
    {
        var previous = await Run("var numbers = new List<int> { 1, 2, 3 };");
        var code = "numbers\n    .Where(n => n > 1)\n    .Sel";

        var result = Complete(previous, code);

        Assert.Equal(["Select", "SelectMany"], Texts(result));
        Assert.Equal(code.Length - 3, result.Start);
    }

    [Fact]
    public async Task Lambda_parameters_complete_with_their_inferred_type()
    {
        var previous = await Run("var words = new List<string> { \"a\" };");

        Assert.Equal(["Length"], Texts(Complete(previous, "words.Select(w => w.Len")));
        Assert.Equal("parameter", KindOf(Complete(previous, "words.Select(word => wo"), "word"));
        Assert.Equal("parameter", KindOf(Complete(previous, "words.Select(word => "), "word"));
    }

    [Fact]
    public async Task Broken_code_still_completes_and_never_throws()
    {
        var previous = await Run("1");

        Assert.Contains("Add", Texts(Complete(previous, "var x = new List<int>(); x.")));
        Assert.Contains("Add", Texts(Complete(previous, "var x = new List<int>(); x.\nvar y = 2;", "var x = new List<int>(); x.".Length)));
        Assert.Contains("WriteLine", Texts(Complete(previous, "if (1 > ) { Console.Wr")));
        Assert.Empty(Complete(previous, "nosuch.").Matches);
        Assert.Empty(Complete(previous, "foo bar baz qux.").Matches);
        Assert.Empty(Complete(previous, ")))}}}.").Matches);
        Assert.Contains("Console", Texts(Complete(null, "Console.", 3)));
        Assert.Contains("if", Texts(Complete(previous, "")));
    }

    [Fact]
    public async Task Nothing_is_offered_in_comments_strings_numbers_or_a_name_being_declared()
    {
        var previous = await Run("1");

        Assert.Empty(Complete(previous, "// Console.").Matches);
        Assert.Empty(Complete(previous, "/* Console.Wr").Matches);
        Assert.Empty(Complete(previous, "Console.WriteLine(\"Console.Wr").Matches);
        Assert.Empty(Complete(previous, "var n = 12").Matches);
        Assert.Empty(Complete(previous, "int cou").Matches);
        Assert.Contains("Length", Texts(Complete(previous, "var s = \"x\"; $\"{s.Len")));
    }

    [Fact]
    public async Task After_new_only_types_are_offered()
    {
        var previous = await Run("var numbers = new List<int>();");

        var texts = Texts(Complete(previous, "var more = new Li"));

        Assert.Contains("List", texts);
        Assert.DoesNotContain("numbers", Texts(Complete(previous, "var more = new nu")));
        Assert.DoesNotContain("Max", Texts(Complete(previous, "var more = new Ma")));
    }

    [Fact]
    public async Task Completion_and_inspection_do_not_run_the_cell()
    {
        var state = await RunState("var ran = new List<string>();");
        const string code = "ran.Add(\"completed\"); ran.";

        Complete(state.Script, code);
        Inspect(state.Script, code, 5);

        Assert.Equal(0, (await state.ContinueWithAsync("ran.Count", Options)).ReturnValue);
    }

    [Fact]
    public async Task Inspecting_a_method_group_shows_its_first_overload_the_count_of_others_and_its_summary()
    {
        var previous = await Run("1");

        var plain = Inspect(previous, "Console.WriteLine");

        Assert.NotNull(plain);
        Assert.StartsWith("void Console.WriteLine(", plain);
        Assert.Matches(@"\(\+ \d+ overloads\)", plain.Split('\n')[0]);
        Assert.Contains("Writes", plain);
        Assert.Contains("line terminator", plain);
    }

    [Fact]
    public async Task Inspecting_a_call_shows_the_overload_it_resolves_to_with_its_documentation_as_markdown()
    {
        var previous = await Run("1");
        var code = "Console.WriteLine(\"hi\");";

        var markdown = Inspect(previous, code, "Console.Write".Length, "text/markdown");
        var plain = Inspect(previous, code, "Console.Write".Length);
        var inArguments = Inspect(previous, "Console.WriteLine(\"hi\", ", null);

        Assert.Equal("void Console.WriteLine(string? value) (+ 19 overloads)", plain!.Split('\n')[0]);
        Assert.Contains("Writes the specified string value, followed by the current line terminator, to the standard output stream.", plain);
        Assert.Contains("value: The value to write.", plain);
        Assert.StartsWith("```csharp\nvoid Console.WriteLine(string? value) (+ 19 overloads)\n```\n\nWrites the specified string value", markdown);
        Assert.Contains("- `value`: The value to write.", markdown);
        Assert.StartsWith("void Console.WriteLine(", inArguments);
    }

    [Fact]
    public async Task Inspecting_a_variable_from_an_earlier_cell_shows_its_type_and_name()
    {
        var previous = await Run("var numbers = new List<int> { 1, 2, 3 };");

        Assert.Equal("List<int> numbers", Inspect(previous, "numbers"));
        Assert.Equal("List<int> numbers", Inspect(previous, "numbers.Count", 3));
        Assert.Equal("```csharp\nList<int> numbers\n```", Inspect(previous, "numbers", mime: "text/markdown"));
    }

    [Fact]
    public async Task Inspecting_a_type_shows_its_kind_namespace_and_summary()
    {
        var previous = await Run("1");

        Assert.Equal("class System.Console\n\nRepresents the standard input, output, and error streams for console applications. This class cannot be inherited.",
            Inspect(previous, "Console"));
        Assert.StartsWith("readonly struct System.Int32\n\nRepresents a 32-bit signed integer.", Inspect(previous, "int x = 1;", 1));
        Assert.StartsWith("namespace System.Collections.Generic", Inspect(previous, "System.Collections.Generic"));
    }

    [Fact]
    public async Task Documentation_of_runtime_types_is_found_in_the_reference_assembly_that_exposes_them()
    {
        var previous = await Run("var numbers = new List<int> { 1, 2, 3 };");

        // List<T> lives in System.Private.CoreLib; its documentation is in System.Collections.xml.
        var add = Inspect(previous, "numbers.Add");
        var where = Inspect(previous, "numbers.Where");

        Assert.StartsWith("void List<int>.Add(int item)\n\nAdds an object to the end of the List.", add);
        Assert.StartsWith("(extension) IEnumerable<int> IEnumerable<int>.Where<int>(Func<int, bool> predicate) (+ 1 overload)\n\nFilters a sequence of values based on a predicate.", where);
    }

    [Fact]
    public async Task Inspecting_a_cell_function_shows_its_signature_and_its_doc_comment_when_it_has_one()
    {
        var previous = await Run("int Twice(int x) => 2 * x;", "/// <summary>Adds <paramref name=\"a\"/> to itself.</summary>\nint Double(int a) => a + a;");

        Assert.Equal("int Twice(int x)", Inspect(previous, "Twice(3)", 2));
        Assert.Equal("int Double(int a)\n\nAdds a to itself.", Inspect(previous, "Double"));
    }

    [Fact]
    public async Task Inspecting_nothing_returns_null()
    {
        var previous = await Run("1");

        Assert.Null(Inspect(previous, "   "));
        Assert.Null(Inspect(previous, "1 + 2", 2));
        Assert.Null(Inspect(previous, "nosuchthing"));
        Assert.Null(Inspect(previous, "// Console"));
        Assert.Null(Inspect(previous, ""));
    }
}

/// <summary>The globals object the tests' cells run with.</summary>
public sealed class IntellisenseGlobals
{
    /// <summary>A member cells can use unqualified.</summary>
    public int Answer => 42;
}
