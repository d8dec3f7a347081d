namespace KernelGateway.Kernel.Routing;

/// <summary>Converts between Jupyter cursor positions (Unicode code points, protocol 5.2+) and UTF-16 indexes.</summary>
internal static class CodePoints
{
    /// <summary>The UTF-16 index of a code-point offset (clamped to the text).</summary>
    public static int ToUtf16Index(string text, int codePoints)
    {
        var index = 0;
        for (var n = 0; n < codePoints && index < text.Length; n++)
            index += char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
        return index;
    }

    /// <summary>The code-point offset of a UTF-16 index.</summary>
    public static int FromUtf16Index(string text, int utf16)
    {
        var n = 0;
        for (var i = 0; i < utf16 && i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            n++;
        }
        return n;
    }
}
