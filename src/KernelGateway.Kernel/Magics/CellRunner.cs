using KernelGateway.Kernel.Engine;

namespace KernelGateway.Kernel.Magics;

/// <summary>
/// Runs a cell: plain code goes to the language engine as is; a cell with magics is split and each piece
/// runs in order, stopping at the first error. <c>%%name</c> / <c>%name</c> that is not a registered magic
/// but is one of the engine's directives is translated to it (<c>%%csharp</c> becomes <c>#!csharp</c>).
/// </summary>
public sealed class CellRunner(MagicRegistry registry, ILanguageEngine engine)
{
    /// <summary>The magics.</summary>
    public MagicRegistry Registry { get; } = registry;

    /// <summary>Runs a cell.</summary>
    public async Task<ExecutionOutcome> RunAsync(string code, IExecutionSink sink, CancellationToken cancellationToken)
    {
        if (PagerRequest(code) is { } topic) return await RunMagicAsync("pinfo", topic, null, sink, cancellationToken).ConfigureAwait(false);
        if (HashMagic(code) is { } hash)
        {
            if (!hash.Line) return await RunMagicAsync(hash.Name, hash.Arguments, hash.Body, sink, cancellationToken).ConfigureAwait(false);
            // A line magic in .NET Interactive's spelling (#!connect ...): it runs, then the rest of the cell.
            var ran = await RunMagicAsync(hash.Name, hash.Arguments, null, sink, cancellationToken).ConfigureAwait(false);
            return !ran.Succeeded || string.IsNullOrWhiteSpace(hash.Body) ? ran : await RunAsync(hash.Body, sink, cancellationToken).ConfigureAwait(false);
        }
        if (!code.Contains('%')) return await engine.ExecuteAsync(code, sink, cancellationToken).ConfigureAwait(false);
        var last = ExecutionOutcome.Ok();
        foreach (var segment in CellParser.Parse(code))
        {
            cancellationToken.ThrowIfCancellationRequested();
            last = segment switch
            {
                CellSegment.Code c => await engine.ExecuteAsync(c.Text, sink, cancellationToken).ConfigureAwait(false),
                CellSegment.LineMagic m => await RunMagicAsync(m.Name, m.Arguments, null, sink, cancellationToken).ConfigureAwait(false),
                CellSegment.CellMagic m => await RunMagicAsync(m.Name, m.Arguments, m.Body, sink, cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidOperationException(segment.GetType().Name),
            };
            if (!last.Succeeded) return last;
        }
        return last;
    }

    /// <summary>
    /// <c>#!name args</c> heading a cell, where <c>name</c> is one of our cell magics (.NET Interactive's spelling of
    /// <c>%%name</c>) or, failing that, one of our line magics (<see cref="MagicKinds.Line"/>: then the rest of the
    /// cell is code run after it). Anything else stays a .NET Interactive directive.
    /// </summary>
    private (string Name, string Arguments, string Body, bool Line)? HashMagic(string code)
    {
        var start = code.TrimStart();
        if (!start.StartsWith("#!", StringComparison.Ordinal)) return null;
        var newline = start.IndexOf('\n');
        var first = (newline < 0 ? start : start[..newline]).TrimEnd('\r').Trim();
        var space = first.IndexOfAny([' ', '\t']);
        var name = space < 0 ? first[2..] : first[2..space];
        var line = !Registry.TryGet(name, MagicKinds.Cell, out _);
        if (line && !Registry.TryGet(name, MagicKinds.Line, out _)) return null;
        return (name, space < 0 ? "" : first[(space + 1)..].Trim(), newline < 0 ? "" : start[(newline + 1)..], line);
    }

    /// <summary><c>Console.WriteLine?</c> or <c>?Console</c>: the same as <c>%pinfo Console.WriteLine</c>.</summary>
    private static string? PagerRequest(string code)
    {
        var t = code.Trim();
        if (t.Contains('\n') || t.Length < 2) return null;
        var topic = t.EndsWith('?') ? t.TrimEnd('?') : t.StartsWith('?') ? t.TrimStart('?') : null;
        return topic is { Length: > 0 } && topic.All(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '<' or '>' or ',') ? topic : null;
    }

    private Task<ExecutionOutcome> RunMagicAsync(string name, string args, string? body, IExecutionSink sink, CancellationToken cancellationToken)
    {
        var kind = body is null ? MagicKinds.Line : MagicKinds.Cell;
        if (Registry.TryGet(name, kind, out var magic))
        {
            return magic.RunAsync(new MagicInvocation
            {
                Arguments = args,
                Body = body,
                Sink = sink,
                Engine = engine,
                Registry = Registry,
                RunCodeAsync = (code, ct) => RunAsync(code, sink, ct),
            }, cancellationToken);
        }
        if (engine is IDirectiveProvider directives && directives.DirectiveNames.Contains(name))
        {
            var text = directives.FormatDirective(name, args);
            return engine.ExecuteAsync(body is null ? text : text + "\n" + body, sink, cancellationToken);
        }
        var prefix = body is null ? "%" : "%%";
        var what = body is null ? "Line" : "Cell";
        var hint = Registry.TryGet(name, body is null ? MagicKinds.Cell : MagicKinds.Line, out _)
            ? $" (`{(body is null ? "%%" : "%")}{name}` exists: use that form)"
            : " Run %lsmagic to list the magics.";
        return Task.FromResult(ExecutionOutcome.Failed("UsageError", $"{what} magic function `{prefix}{name}` not found.{hint}",
            [$"UsageError: {what} magic function `{prefix}{name}` not found.{hint}"]));
    }
}
