using System.Text.RegularExpressions;
using KernelGateway.Kernel.Magics;

namespace KernelGateway.Extensions.Metastore;

/// <summary>
/// The line of <c>%metastore [verb] [operand] [--like pattern] [--out name]</c>. Operands keep their double quotes, so
/// quoted address parts (<c>pg.postgres."My Schema"</c>) reach the address parser as written.
/// </summary>
internal sealed record MetastoreArguments
{
    public const string Usage = "%metastore [catalogs [connection] | schemas <connection.catalog> | tables <connection.catalog.schema> [--like pattern] | "
        + "describe <connection.catalog.schema.table> | search <text> | refresh [connection] | help] [--out name]";

    public string Verb { get; init; } = "connections";
    public IReadOnlyList<string> Operands { get; init; } = [];
    public string? Like { get; init; }
    public string? Out { get; init; }

    /// <exception cref="ArgumentException">An option lacks its value, is unknown, or <c>--out</c> is not an identifier.</exception>
    public static MetastoreArguments Parse(string text)
    {
        var tokens = MagicArguments.Split(text, keepQuotes: true);
        string? like = null, output = null;
        var words = new List<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            string Next() => i + 1 < tokens.Count ? Unquote(tokens[++i]) : throw new ArgumentException($"{t} needs a value");
            switch (t)
            {
                case "--out" or "-o":
                    output = Next();
                    if (!Regex.IsMatch(output, @"^[A-Za-z_]\w*$")) throw new ArgumentException($"--out needs a C# identifier, not '{output}'");
                    break;
                case "--like":
                    like = Next();
                    break;
                default:
                    if (t.StartsWith('-')) throw new ArgumentException($"unknown option '{t}'");
                    words.Add(t);
                    break;
            }
        }
        return new MetastoreArguments { Verb = words.Count == 0 ? "connections" : words[0].ToLowerInvariant(), Operands = words.Skip(1).ToList(), Like = like, Out = output };
    }

    private static string Unquote(string token) =>
        token.Length >= 2 && token[0] == '"' && token[^1] == '"' ? token[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : token;
}
