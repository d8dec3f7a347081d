using KernelGateway.Kernel.Engine;

namespace KernelGateway.Kernel.Magics;

/// <summary>
/// Completion and inspection inside the body of a cell magic (<c>%%sql</c>, <c>%%trino</c>, …), registered for a
/// magic's name with <see cref="MagicRegistry.AddIntrospector"/>. The kernel asks it instead of the language engine
/// when the cursor is in such a cell's body. Answers must come quickly: the frontend waits on them while the user
/// types, so an introspector bounds its own lookups and answers with what it has.
/// </summary>
public interface ICellIntrospector
{
    /// <summary>Completions at the cursor, with the span they replace in the body (UTF-16 indexes); null for none.</summary>
    Task<CompletionResult?> CompleteAsync(CellIntrospection cell, CancellationToken cancellationToken);

    /// <summary>What the name at the cursor is (text/plain and text/markdown), or null when it is nothing known.</summary>
    Task<MimeBundle?> InspectAsync(CellIntrospection cell, CancellationToken cancellationToken);
}

/// <summary>The cell magic around the cursor.</summary>
/// <param name="Magic">The magic's name, without <c>%%</c>.</param>
/// <param name="Arguments">The text after the name on the magic's line.</param>
/// <param name="Body">The cell's body (the lines after the magic's line).</param>
/// <param name="Offset">The cursor, a UTF-16 index into <paramref name="Body"/>.</param>
/// <param name="DetailLevel">inspect_request's detail level (0 or 1); 0 for completion.</param>
public sealed record CellIntrospection(string Magic, string Arguments, string Body, int Offset, int DetailLevel = 0)
{
    /// <summary>
    /// The cell magic at the start of <paramref name="code"/> when <paramref name="offset"/> (UTF-16) lies in its
    /// body, with the body's start in <paramref name="code"/>; null when the code is no cell magic or the cursor is
    /// on the magic's own line.
    /// </summary>
    public static (CellIntrospection Cell, int BodyStart)? At(string code, int offset, int detailLevel = 0)
    {
        var lineStart = 0;
        while (lineStart < code.Length)
        {
            var end = code.IndexOf('\n', lineStart);
            var line = (end < 0 ? code[lineStart..] : code[lineStart..end]).TrimEnd('\r');
            if (line.Trim().Length > 0)
            {
                if (end < 0 || offset <= end) return null;
                if (CellParser.Parse(line + "\n") is not [CellSegment.CellMagic magic]) return null;
                var bodyStart = end + 1;
                return (new CellIntrospection(magic.Name, magic.Arguments, code[bodyStart..], offset - bodyStart, detailLevel), bodyStart);
            }
            if (end < 0) return null;
            lineStart = end + 1;
        }
        return null;
    }
}
