using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KernelGateway.Notebooks.Parameters;

/// <summary>
/// Parameters from YAML (<c>-f params.yaml</c>, <c>-y 'yaml'</c>), typed as papermill's <c>yaml.safe_load</c>
/// (PyYAML, YAML 1.1) types them: plain scalars <c>null</c>/<c>~</c>/empty → null, <c>true</c>/<c>false</c>/<c>yes</c>/
/// <c>no</c>/<c>on</c>/<c>off</c> → bool, integers (decimal, <c>0x</c>, <c>0o</c>/<c>0</c> octal, <c>0b</c>, with
/// <c>_</c>) → integer, floats (with a dot or exponent, <c>.nan</c>, <c>.inf</c>) → float; quoted scalars are strings;
/// sequences → lists; mappings → mappings. The document must be a mapping of parameter names.
/// </summary>
public static partial class YamlParameters
{
    /// <summary>Reads a YAML mapping of parameters.</summary>
    /// <exception cref="FormatException">Not YAML, or not a mapping with string keys; the message says where.</exception>
    public static IReadOnlyDictionary<string, object?> Parse(string yaml, string origin = "parameters")
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FormatException($"{origin}: not YAML (line {e.Start.Line}, column {e.Start.Column}): {e.Message}", e);
        }
        if (stream.Documents.Count == 0) return new Dictionary<string, object?>();
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new FormatException($"{origin}: parameters must be a mapping of names to values (line {stream.Documents[0].RootNode.Start.Line})");
        var map = (IReadOnlyDictionary<string, object?>)Value(root, origin)!;
        return map;
    }

    private static object? Value(YamlNode node, string origin) => node switch
    {
        YamlScalarNode s => Scalar(s),
        YamlSequenceNode seq => seq.Children.Select(c => Value(c, origin)).ToList(),
        YamlMappingNode map => Mapping(map, origin),
        _ => throw new FormatException($"{origin}: line {node.Start.Line}: aliases are not supported"),
    };

    private static Dictionary<string, object?> Mapping(YamlMappingNode map, string origin)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Children)
        {
            var name = key is YamlScalarNode k ? Scalar(k) : null;
            if (name is null) throw new FormatException($"{origin}: line {key.Start.Line}: a key must be a scalar");
            result[Convert.ToString(name is bool b ? (b ? "True" : "False") : name, CultureInfo.InvariantCulture)!] = Value(value, origin);
        }
        return result;
    }

    private static object? Scalar(YamlScalarNode node)
    {
        var text = node.Value ?? "";
        if (node.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded) return text;
        if (!node.Tag.IsEmpty && !node.Tag.IsNonSpecific && node.Tag.Value == "tag:yaml.org,2002:str") return text;
        if (text is "" or "~" || NullPattern().IsMatch(text)) return null;
        if (TruePattern().IsMatch(text)) return true;
        if (FalsePattern().IsMatch(text)) return false;
        if (Integer(text) is { } i) return i;
        if (FloatPattern().IsMatch(text) && text.Any(char.IsAsciiDigit)) return double.Parse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (InfinityPattern().IsMatch(text)) return text.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
        if (NanPattern().IsMatch(text)) return double.NaN;
        return text;
    }

    private static object? Integer(string text)
    {
        var m = IntegerPattern().Match(text);
        if (!m.Success) return null;
        var negative = m.Groups["sign"].Value == "-";
        var digits = m.Groups["digits"].Value.Replace("_", "", StringComparison.Ordinal);
        var (radix, body) = digits switch
        {
            _ when digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase) => (16, digits[2..]),
            _ when digits.StartsWith("0o", StringComparison.OrdinalIgnoreCase) => (8, digits[2..]),
            _ when digits.StartsWith("0b", StringComparison.OrdinalIgnoreCase) => (2, digits[2..]),
            _ when digits.Length > 1 && digits[0] == '0' => (8, digits[1..]),
            _ => (10, digits),
        };
        var value = BigInteger.Zero;
        foreach (var c in body)
        {
            var d = Convert.ToInt32(c.ToString(), 16);
            if (d >= radix) return null;
            value = value * radix + d;
        }
        if (negative) value = -value;
        return value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;
    }

    [GeneratedRegex("^(null|Null|NULL)$")]
    private static partial Regex NullPattern();

    [GeneratedRegex("^(yes|Yes|YES|true|True|TRUE|on|On|ON)$")]
    private static partial Regex TruePattern();

    [GeneratedRegex("^(no|No|NO|false|False|FALSE|off|Off|OFF)$")]
    private static partial Regex FalsePattern();

    [GeneratedRegex("^(?<sign>[-+]?)(?<digits>0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[1-9][0-9_]*|0)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?$|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^[-+]?\.(inf|Inf|INF)$")]
    private static partial Regex InfinityPattern();

    [GeneratedRegex(@"^\.(nan|NaN|NAN)$")]
    private static partial Regex NanPattern();
}
