using System.Text.Json.Nodes;
using KernelGateway.Kernel.Engine;
using KernelGateway.Kernel.Magics;
using KernelGateway.Protocol;
using KernelGateway.Protocol.Messages;

namespace KernelGateway.Kernel.Routing;

/// <summary>
/// complete_request, inspect_request and is_complete_request. Magic names (and the engine's directives) are
/// completed here; the body of a cell magic with an <see cref="ICellIntrospector"/> goes to it; the rest goes to the
/// engine. Cursor positions are code points on the wire.
/// </summary>
internal sealed class IntrospectionHandler(ILanguageEngine engine, MagicRegistry magics, EngineStartup startup, MessageSender sender)
{
    /// <summary>complete_request.</summary>
    public async Task CompleteAsync(KernelChannel channel, JupyterMessage request, CancellationToken cancellationToken)
    {
        await startup.WaitAsync(cancellationToken).ConfigureAwait(false);
        var content = request.ContentAs(ProtocolJsonContext.Default.CompleteRequest);
        var code = content.Code;
        var offset = CodePoints.ToUtf16Index(code, content.CursorPos);
        var result = MagicCompletion(code, offset)
            ?? (CellIntrospector(code, offset, 0) is var (introspector, cell, bodyStart)
                ? Shift(await introspector.CompleteAsync(cell, cancellationToken).ConfigureAwait(false) ?? new CompletionResult([], cell.Offset, cell.Offset), bodyStart)
                : await engine.CompleteAsync(code, offset, cancellationToken).ConfigureAwait(false));
        var start = CodePoints.FromUtf16Index(code, result.Start);
        var end = CodePoints.FromUtf16Index(code, result.End);
        var types = new JsonArray(result.Matches.Select(m => (JsonNode)new JsonObject
        {
            ["start"] = start,
            ["end"] = end,
            ["text"] = m.Text,
            ["type"] = m.Kind,
            ["signature"] = m.Signature ?? "",
        }).ToArray());
        var reply = new CompleteReply(result.Matches.Select(m => m.Text).ToList(), start, end, new JsonObject { ["_jupyter_types_experimental"] = types });
        sender.Reply(channel, request, MessageTypes.CompleteReply, reply, ProtocolJsonContext.Default.CompleteReply);
    }

    /// <summary><c>%na</c> or <c>%%na</c> at the cursor: the magic (or directive) names it can be, or null for the engine.</summary>
    private CompletionResult? MagicCompletion(string code, int offset)
    {
        var lineStart = code.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1;
        if (offset < lineStart) lineStart = 0;
        var line = code[lineStart..offset];
        if (!line.StartsWith('%') || line.Contains(' ')) return null;
        var cell = line.StartsWith("%%", StringComparison.Ordinal);
        var prefix = line.TrimStart('%');
        var kind = cell ? MagicKinds.Cell : MagicKinds.Line;
        var names = magics.All.Where(m => m.Kinds.HasFlag(kind)).Select(m => m.Name)
            .Concat(engine is IDirectiveProvider d ? d.DirectiveNames : [])
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal);
        var marker = cell ? "%%" : "%";
        return new CompletionResult(names.Select(n => new CompletionMatch(marker + n, "magic")).ToList(), lineStart, offset);
    }

    /// <summary>The introspector of the cell magic whose body holds the cursor, if one was registered for it.</summary>
    private (ICellIntrospector Introspector, CellIntrospection Cell, int BodyStart)? CellIntrospector(string code, int offset, int detailLevel) =>
        CellIntrospection.At(code, offset, detailLevel) is var (cell, bodyStart) && magics.TryGetIntrospector(cell.Magic, out var introspector)
            ? (introspector, cell, bodyStart)
            : null;

    private static CompletionResult Shift(CompletionResult result, int by) => result with { Start = result.Start + by, End = result.End + by };

    /// <summary>inspect_request.</summary>
    public async Task InspectAsync(KernelChannel channel, JupyterMessage request, CancellationToken cancellationToken)
    {
        await startup.WaitAsync(cancellationToken).ConfigureAwait(false);
        var content = request.ContentAs(ProtocolJsonContext.Default.InspectRequest);
        var offset = CodePoints.ToUtf16Index(content.Code, content.CursorPos);
        var bundle = CellIntrospector(content.Code, offset, content.DetailLevel) is var (introspector, cell, _)
            ? await introspector.InspectAsync(cell, cancellationToken).ConfigureAwait(false)
            : await engine.InspectAsync(content.Code, offset, content.DetailLevel, cancellationToken).ConfigureAwait(false);
        var reply = bundle is null
            ? new InspectReply(false, new JsonObject(), new JsonObject())
            : new InspectReply(true, bundle.Data, bundle.Metadata);
        sender.Reply(channel, request, MessageTypes.InspectReply, reply, ProtocolJsonContext.Default.InspectReply);
    }

    /// <summary>is_complete_request: a cell magic is complete at a blank line; line magics are taken out before the engine judges the rest.</summary>
    public Task IsCompleteAsync(KernelChannel channel, JupyterMessage request, CancellationToken cancellationToken)
    {
        var code = request.ContentAs(ProtocolJsonContext.Default.IsCompleteRequest).Code;
        sender.Reply(channel, request, MessageTypes.IsCompleteReply, IsComplete(code), ProtocolJsonContext.Default.IsCompleteReply);
        return Task.CompletedTask;
    }

    private IsCompleteReply IsComplete(string code)
    {
        var trimmed = code.TrimStart();
        if (trimmed.StartsWith("%%", StringComparison.Ordinal))
            return code.EndsWith("\n\n", StringComparison.Ordinal) ? new IsCompleteReply("complete") : new IsCompleteReply("incomplete", "");
        if (CellParser.HasMagic(code))
        {
            var rest = string.Join('\n', CellParser.Parse(code).OfType<CellSegment.Code>().Select(c => c.Text));
            return rest.Trim().Length == 0 ? new IsCompleteReply("complete") : engine.IsComplete(rest);
        }
        return engine.IsComplete(code);
    }
}
