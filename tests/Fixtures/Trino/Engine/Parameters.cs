using System.Text;
using KernelGateway.Tests.Fixtures.Trino.Sql;

namespace KernelGateway.Tests.Fixtures.Trino.Engine;

/// <summary>Binds EXECUTE … USING expressions to the <c>?</c> placeholders of a prepared statement's text.</summary>
internal static class Parameters
{
    public static string Bind(string body, IReadOnlyList<string> arguments)
    {
        var tokens = SqlLexer.Tokenize(body);
        var placeholders = tokens.Count(t => t.IsSymbol("?"));
        if (placeholders != arguments.Count)
        {
            throw new TrinoFailure(TrinoError.User($"Incorrect number of parameters: expected {placeholders} but found {arguments.Count}", 80, "INVALID_PARAMETER_USAGE"));
        }
        var sb = new StringBuilder(body.Length + 16);
        var next = 0;
        foreach (var t in tokens) sb.Append(t.IsSymbol("?") ? "(" + arguments[next++] + ")" : t.Text);
        return sb.ToString();
    }
}
