using System.Diagnostics;
using System.Globalization;
using System.Text;
using KernelGateway.Kernel.Engine;

namespace KernelGateway.Kernel.Magics;

/// <summary><c>%lsmagic</c>: lists magics and the language's directives.</summary>
internal sealed class LsMagic : IMagic
{
    public string Name => "lsmagic";
    public MagicKinds Kinds => MagicKinds.Line;
    public string Summary => "List the available magics.";

    public Task<ExecutionOutcome> RunAsync(MagicInvocation invocation, CancellationToken cancellationToken)
    {
        var all = invocation.Registry.All;
        var text = new StringBuilder();
        text.Append("Available line magics:\n");
        foreach (var m in all.Where(m => m.Kinds.HasFlag(MagicKinds.Line))) text.Append($"  %{m.Name,-14} {m.Summary}\n");
        text.Append("\nAvailable cell magics:\n");
        foreach (var m in all.Where(m => m.Kinds.HasFlag(MagicKinds.Cell))) text.Append($"  %%{m.Name,-13} {m.Summary}\n");
        var directives = invocation.Engine is IDirectiveProvider p ? p.DirectiveNames : [];
        if (directives.Count > 0)
        {
            text.Append("\nLanguage directives (also usable as %%name or %name):\n  ");
            text.Append(string.Join("  ", directives.Order(StringComparer.Ordinal)));
            text.Append('\n');
        }
        invocation.Sink.Stream("stdout", text.ToString());
        return Task.FromResult(ExecutionOutcome.Ok());
    }
}

/// <summary><c>%time stmt</c> and <c>%%time</c>: runs code and prints CPU and wall time.</summary>
internal sealed class TimeMagic : IMagic
{
    public string Name => "time";
    public MagicKinds Kinds => MagicKinds.Line | MagicKinds.Cell;
    public string Summary => "Time the execution of a statement (%time) or a cell (%%time).";

    public async Task<ExecutionOutcome> RunAsync(MagicInvocation invocation, CancellationToken cancellationToken)
    {
        var code = invocation.IsCell ? invocation.Body! : invocation.Arguments;
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var user0 = process.UserProcessorTime;
        var wall = Stopwatch.StartNew();
        var outcome = await invocation.RunCodeAsync(code, cancellationToken).ConfigureAwait(false);
        wall.Stop();
        process.Refresh();
        var user = process.UserProcessorTime - user0;
        var total = process.TotalProcessorTime - cpu0;
        invocation.Sink.Stream("stdout", string.Create(CultureInfo.InvariantCulture,
            $"CPU times: user {Format(user)}, sys {Format(total - user)}, total {Format(total)}\nWall time: {Format(wall.Elapsed)}\n"));
        return outcome;
    }

    internal static string Format(TimeSpan t) => t.TotalSeconds >= 1
        ? $"{t.TotalSeconds:0.##} s"
        : t.TotalMilliseconds >= 1 ? $"{t.TotalMilliseconds:0.##} ms" : $"{t.TotalMicroseconds:0} µs";
}

/// <summary><c>%who</c> lists variable names; <c>%whos</c> adds type and value.</summary>
internal sealed class WhoMagic(bool detailed) : IMagic
{
    public string Name => detailed ? "whos" : "who";
    public MagicKinds Kinds => MagicKinds.Line;
    public string Summary => detailed ? "List variables with their types and values." : "List variable names.";

    public async Task<ExecutionOutcome> RunAsync(MagicInvocation invocation, CancellationToken cancellationToken)
    {
        var all = await invocation.Engine.GetVariablesAsync(cancellationToken).ConfigureAwait(false);
        var vars = all.Where(v => !v.Lost).ToList();
        var lost = all.Where(v => v.Lost).ToList();
        var note = lost.Count == 0 ? "" : "Lost with cells abandoned after an interrupt (they may still run in the background): "
            + string.Join(", ", lost.Select(v => v.Name)) + "\n";
        if (vars.Count == 0)
        {
            invocation.Sink.Stream("stdout", "Interactive namespace is empty.\n" + note);
            return ExecutionOutcome.Ok();
        }
        if (!detailed)
        {
            invocation.Sink.Stream("stdout", string.Join('\t', vars.Select(v => v.Name)) + "\n" + note);
            return ExecutionOutcome.Ok();
        }
        var nameWidth = Math.Max(8, vars.Max(v => v.Name.Length)) + 2;
        var typeWidth = Math.Max(4, vars.Max(v => v.TypeName.Length)) + 2;
        var sb = new StringBuilder();
        sb.Append("Variable".PadRight(nameWidth)).Append("Type".PadRight(typeWidth)).Append("Data/Info\n");
        sb.Append(new string('-', nameWidth + typeWidth + 9)).Append('\n');
        foreach (var v in vars)
        {
            var value = v.Value.ReplaceLineEndings(" ");
            if (value.Length > 60) value = value[..57] + "...";
            sb.Append(v.Name.PadRight(nameWidth)).Append(v.TypeName.PadRight(typeWidth)).Append(value).Append('\n');
        }
        invocation.Sink.Stream("stdout", sb.Append(note).ToString());
        return ExecutionOutcome.Ok();
    }
}

/// <summary>
/// <c>%glue name [--display]</c>: records the variable <c>name</c> as a scrap under its own name, as
/// <c>Glue("name", name)</c> does (scrapbook's <c>glue</c>).
/// </summary>
internal sealed partial class GlueMagic : IMagic
{
    public string Name => "glue";
    public MagicKinds Kinds => MagicKinds.Line;
    public string Summary => "Record a variable as a scrap for summaries and scrapbook: %glue name [--display].";

    public Task<ExecutionOutcome> RunAsync(MagicInvocation invocation, CancellationToken cancellationToken)
    {
        var words = invocation.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var display = words.Contains("--display");
        var names = words.Where(w => w != "--display").ToList();
        if (names.Count != 1 || !Identifier().IsMatch(names[0]))
            return Task.FromResult(ExecutionOutcome.Failed("UsageError", "%glue takes one variable name: %glue name [--display]", ["UsageError: %glue takes one variable name: %glue name [--display]"]));
        return invocation.RunCodeAsync($"Glue(\"{names[0]}\", {names[0]}, display: {(display ? "true" : "false")});", cancellationToken);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^@?[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial System.Text.RegularExpressions.Regex Identifier();
}

/// <summary><c>%pinfo name</c> (also <c>name?</c>): documentation of a symbol in the pager (a <c>page</c> payload).</summary>
internal sealed class PinfoMagic : IMagic
{
    public string Name => "pinfo";
    public MagicKinds Kinds => MagicKinds.Line;
    public string Summary => "Show the documentation of a symbol in the pager (also: name?).";

    public async Task<ExecutionOutcome> RunAsync(MagicInvocation invocation, CancellationToken cancellationToken)
    {
        var topic = invocation.Arguments.Trim();
        var doc = topic.Length == 0 ? null : await invocation.Engine.InspectAsync(topic, topic.Length, 1, cancellationToken).ConfigureAwait(false);
        if (doc is null) return ExecutionOutcome.Failed("NameError", $"Object `{topic}` not found.", [$"Object `{topic}` not found."]);
        var page = new System.Text.Json.Nodes.JsonObject { ["source"] = "page", ["data"] = doc.Data.DeepClone(), ["start"] = 0 };
        return new ExecutionOutcome { Payload = [page] };
    }
}
