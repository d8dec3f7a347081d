using System.Net;

namespace KernelGateway.Kernel.CSharp.Intellisense;

/// <summary>
/// One XML documentation file, indexed by documentation ID. Reading it is a text scan for where each
/// <c>&lt;member name="..."&gt;</c> starts, little more than reading the file (System.Runtime.xml is 7 MB; parsing it
/// all as XML took three to four times longer); only the members asked for are ever parsed, and the text is kept.
/// </summary>
internal sealed class DocumentationFile
{
    private static readonly DocumentationFile Empty = new("", new Dictionary<string, int>());

    private readonly string _text;
    private readonly Dictionary<string, int> _starts;

    private DocumentationFile(string text, Dictionary<string, int> starts) => (_text, _starts) = (text, starts);

    /// <summary>Indexes a documentation file; empty when it is missing or unreadable (documentation is a nicety, not a failure).</summary>
    public static DocumentationFile Read(string path)
    {
        string text;
        try
        {
            if (!File.Exists(path)) return Empty;
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Empty;
        }

        // Compilers write every member as `<member name="ID">`; a vectorized search finds them all.
        const string open = "<member name=\"";
        var starts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var start = text.IndexOf(open, StringComparison.Ordinal); start >= 0; start = text.IndexOf(open, start + open.Length, StringComparison.Ordinal))
        {
            var idStart = start + open.Length;
            var idEnd = text.IndexOf('"', idStart);
            if (idEnd < 0) break;
            var id = text[idStart..idEnd];
            starts.TryAdd(id.Contains('&') ? WebUtility.HtmlDecode(id) : id, start);
        }

        return new DocumentationFile(text, starts);
    }

    /// <summary>The <c>&lt;member&gt;</c> element documenting <paramref name="id"/> (e.g. <c>M:System.Console.WriteLine</c>), or null.</summary>
    public string? Member(string id)
    {
        if (!_starts.TryGetValue(id, out var start)) return null;
        var tagEnd = _text.IndexOf('>', start);
        if (tagEnd < 0) return null;
        if (_text[tagEnd - 1] == '/') return _text[start..(tagEnd + 1)];
        const string close = "</member>";
        var end = _text.IndexOf(close, tagEnd, StringComparison.Ordinal);
        return end < 0 ? null : _text[start..(end + close.Length)];
    }
}
