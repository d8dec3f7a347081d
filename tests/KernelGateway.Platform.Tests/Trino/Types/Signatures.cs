using System.Globalization;
using System.Text;

namespace KernelGateway.Platform.Tests.Trino.Types;

/// <summary>
/// Type signatures for the tests, written as the server's JSON in either spelling: Trino's
/// (<c>TYPE</c>/<c>NAMED_TYPE</c>/<c>LONG</c>, nested signatures as objects) and Presto's
/// (<c>TYPE_SIGNATURE</c>/<c>NAMED_TYPE_SIGNATURE</c>/<c>LONG_LITERAL</c>, a named field's signature as its type
/// name string, and the deprecated <c>typeArguments</c>/<c>literalArguments</c> copies alongside).
/// </summary>
public sealed class Sig
{
    private readonly string _raw;
    private readonly object[] _arguments; // long, Sig, or (string? Name, Sig Type)

    private Sig(string raw, object[] arguments)
    {
        _raw = raw;
        _arguments = arguments;
    }

    public static Sig Of(string raw, params object[] arguments) => new(raw, arguments);

    public static Sig Varchar => Of("varchar", 2147483647L);

    public static (string?, Sig) Field(string? name, Sig type) => (name, type);

    /// <summary>The JSON Trino sends.</summary>
    public string Trino()
    {
        var args = _arguments.Select(a => a switch
        {
            long n => Argument("LONG", n.ToString(CultureInfo.InvariantCulture)),
            Sig s => Argument("TYPE", s.Trino()),
            ValueTuple<string?, Sig> f when f.Item1 is null => Argument("NAMED_TYPE", "{\"typeSignature\":" + f.Item2.Trino() + "}"),
            ValueTuple<string?, Sig> f => Argument("NAMED_TYPE", "{\"fieldName\":{\"name\":" + Quote(f.Item1) + "},\"typeSignature\":" + f.Item2.Trino() + "}"),
            _ => throw new ArgumentException(a.ToString()),
        });
        return "{\"rawType\":" + Quote(_raw) + ",\"arguments\":[" + string.Join(",", args) + "]}";
    }

    /// <summary>The JSON Presto sends.</summary>
    public string Presto()
    {
        var args = _arguments.Select(a => a switch
        {
            long n => Argument("LONG_LITERAL", n.ToString(CultureInfo.InvariantCulture)),
            Sig s => Argument("TYPE_SIGNATURE", s.Presto()),
            ValueTuple<string?, Sig> f when f.Item1 is null => Argument("NAMED_TYPE_SIGNATURE", "{\"typeSignature\":" + Quote(f.Item2.PrestoName()) + "}"),
            ValueTuple<string?, Sig> f => Argument("NAMED_TYPE_SIGNATURE", "{\"fieldName\":{\"name\":" + Quote(f.Item1) + ",\"delimited\":false},\"typeSignature\":" + Quote(f.Item2.PrestoName()) + "}"),
            _ => throw new ArgumentException(a.ToString()),
        });
        var typeArguments = _arguments.Select(a => a switch { Sig s => s.Presto(), ValueTuple<string?, Sig> f => f.Item2.Presto(), _ => null }).ToList();
        var literalArguments = _arguments.Select(a => a switch { ValueTuple<string?, Sig> f => Quote(f.Item1), _ => null }).ToList();
        var deprecatedTypes = typeArguments.All(t => t is not null) ? string.Join(",", typeArguments) : "";
        var deprecatedLiterals = literalArguments.All(t => t is not null) ? string.Join(",", literalArguments) : "";
        return "{\"rawType\":" + Quote(_raw) + ",\"typeArguments\":[" + deprecatedTypes + "],\"literalArguments\":[" + deprecatedLiterals
            + "],\"arguments\":[" + string.Join(",", args) + "]}";
    }

    private static string Argument(string kind, string value) => "{\"kind\":\"" + kind + "\",\"value\":" + value + "}";

    /// <summary>Presto's <c>TypeSignature.toString()</c>: arguments joined by commas, row fields as "name type".</summary>
    private string PrestoName()
    {
        if (_arguments.Length == 0) return _raw;
        if (_raw == "varchar" && _arguments is [2147483647L]) return "varchar";
        var parts = _arguments.Select(a => a switch
        {
            long n => n.ToString(CultureInfo.InvariantCulture),
            Sig s => s.PrestoName(),
            ValueTuple<string?, Sig> f => f.Item1 is null ? f.Item2.PrestoName() : f.Item1 + " " + f.Item2.PrestoName(),
            _ => throw new ArgumentException(a.ToString()),
        });
        return _raw + "(" + string.Join(",", parts) + ")";
    }

    private static string Quote(string? s) => s is null ? "null" : System.Text.Json.JsonSerializer.Serialize(s);

    public override string ToString() => Trino();
}
