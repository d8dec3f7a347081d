using System.Text;

namespace KernelGateway.Kernel.Magics;

/// <summary>The words of a magic's argument line, as every magic splits them.</summary>
public static class MagicArguments
{
    /// <summary>
    /// Splits on whitespace outside double quotes, so <c>"a b"</c> stays one word. The quotes are dropped, unless
    /// <paramref name="keepQuotes"/> is true, for words whose quotes mean something to the magic (quoted parts of a
    /// <c>connection.catalog.schema.table</c> address).
    /// </summary>
    public static List<string> Split(string text, bool keepQuotes = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
                if (!keepQuotes) continue;
            }
            if (char.IsWhiteSpace(c) && !quoted)
            {
                if (current.Length > 0) { words.Add(current.ToString()); current.Clear(); }
                continue;
            }
            current.Append(c);
        }
        if (current.Length > 0) words.Add(current.ToString());
        return words;
    }
}
