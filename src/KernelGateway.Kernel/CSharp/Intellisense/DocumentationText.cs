using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace KernelGateway.Kernel.CSharp.Intellisense;

/// <summary>An XML documentation <c>&lt;member&gt;</c> as plain text or Markdown.</summary>
internal static partial class DocumentationText
{
    /// <summary>
    /// The summary, parameters and returns; with <paramref name="detailLevel"/> 1 or more, also remarks and exceptions.
    /// </summary>
    public static string Render(XElement member, int detailLevel, bool markdown)
    {
        var text = new StringBuilder();
        if (member.Element("summary") is { } summary) text.Append(Block(summary, markdown)).Append("\n\n");

        var parameters = member.Elements("param").Select(p => (Name: (string?)p.Attribute("name") ?? "", Text: Block(p, markdown))).ToList();
        if (parameters.Count > 0)
        {
            text.Append(markdown ? "**Parameters**\n" : "Parameters:\n");
            foreach (var (name, description) in parameters)
                text.Append(markdown ? $"- `{name}`: {description}\n" : $"  {name}: {description}\n");
            text.Append('\n');
        }

        if (member.Element("returns") is { } returns)
            text.Append(markdown ? "**Returns**: " : "Returns: ").Append(Block(returns, markdown)).Append("\n\n");

        if (detailLevel > 0)
        {
            if (member.Element("remarks") is { } remarks)
                text.Append(markdown ? "**Remarks**\n\n" : "Remarks:\n").Append(Block(remarks, markdown)).Append("\n\n");
            var exceptions = member.Elements("exception").ToList();
            if (exceptions.Count > 0)
            {
                text.Append(markdown ? "**Exceptions**\n" : "Exceptions:\n");
                foreach (var exception in exceptions)
                {
                    var type = CrefName((string?)exception.Attribute("cref") ?? "");
                    text.Append(markdown ? $"- `{type}`: {Block(exception, markdown)}\n" : $"  {type}: {Block(exception, markdown)}\n");
                }
            }
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>An element's content with whitespace collapsed as XML documentation means it, paragraphs kept.</summary>
    private static string Block(XElement element, bool markdown)
    {
        var text = new StringBuilder();
        AppendNodes(text, element, markdown);
        var lines = text.ToString().Split('\n').Select(l => l.Trim());
        return ExtraBlankLines().Replace(string.Join('\n', lines), "\n\n").Trim();
    }

    private static void AppendNodes(StringBuilder text, XElement element, bool markdown)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText t:
                    text.Append(Whitespace().Replace(t.Value, " "));
                    break;
                case XElement e:
                    AppendElement(text, e, markdown);
                    break;
            }
        }
    }

    private static void AppendElement(StringBuilder text, XElement e, bool markdown)
    {
        switch (e.Name.LocalName)
        {
            case "see" or "seealso":
                if ((string?)e.Attribute("langword") is { } keyword) text.Append(Code(keyword, markdown));
                else if (!e.IsEmpty) AppendNodes(text, e, markdown);
                else if ((string?)e.Attribute("cref") is { } cref) text.Append(Code(CrefName(cref), markdown));
                else if ((string?)e.Attribute("href") is { } href) text.Append(href);
                break;
            case "paramref" or "typeparamref":
                text.Append(Code((string?)e.Attribute("name") ?? "", markdown));
                break;
            case "c":
                text.Append(Code(e.Value, markdown));
                break;
            case "code":
                text.Append(markdown ? "\n```csharp\n" : "\n").Append(e.Value.Trim('\n', '\r')).Append(markdown ? "\n```\n" : "\n");
                break;
            case "para":
                text.Append("\n\n");
                AppendNodes(text, e, markdown);
                text.Append("\n\n");
                break;
            case "br":
                text.Append('\n');
                break;
            case "item":
                text.Append("\n- ");
                AppendNodes(text, e, markdown);
                break;
            case "term" when e.ElementsAfterSelf("description").Any():
                AppendNodes(text, e, markdown);
                text.Append(" – ");
                break;
            default:
                AppendNodes(text, e, markdown);
                break;
        }
    }

    private static string Code(string text, bool markdown) => markdown ? $"`{text}`" : text;

    /// <summary><c>T:System.Collections.Generic.List`1</c> as <c>List</c>, <c>M:System.Console.WriteLine(System.String)</c> as <c>Console.WriteLine</c>.</summary>
    private static string CrefName(string cref)
    {
        var kind = cref.Length > 2 && cref[1] == ':' ? cref[0] : 'T';
        var name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0) name = name[..paren];
        var parts = GenericArity().Replace(name, "").Split('.');
        if (kind is 'T' or 'N' || parts.Length < 2) return parts[^1];
        return parts[^1] == "#ctor" ? parts[^2] : parts[^2] + "." + parts[^1];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex ExtraBlankLines();

    [GeneratedRegex(@"`+\d+")]
    private static partial Regex GenericArity();
}
