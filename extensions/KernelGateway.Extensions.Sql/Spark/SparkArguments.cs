using System.Text.RegularExpressions;

namespace KernelGateway.Extensions.Sql.Spark;

/// <summary>The languages <c>%%spark</c> runs: SQL (over Spark Connect, or Livy's SQL interpreter), Scala, Python and R (over Livy).</summary>
internal static class SparkLanguages
{
    public const string Sql = "sql";
    public const string Scala = "scala";
    public const string Python = "python";
    public const string R = "r";

    /// <summary>The Livy statement kind of a language.</summary>
    public static string LivyKind(string language) => language switch
    {
        Scala => "spark",
        Python => "pyspark",
        R => "sparkr",
        _ => "sql",
    };

    /// <summary>A language from what a user may write (<c>pyspark</c>, <c>py</c>, <c>spark</c> accepted as sparkmagic does).</summary>
    public static string Parse(string text) => text.ToLowerInvariant() switch
    {
        "sql" => Sql,
        "scala" or "spark" => Scala,
        "python" or "py" or "pyspark" => Python,
        "r" or "sparkr" => R,
        _ => throw new ArgumentException($"--lang is sql, scala, python or r, not '{text}'"),
    };
}

/// <summary>The first line of <c>%%spark</c>: <c>[connection] [--lang L] [--session name] [--out name] [--limit N] [--param k=v]...</c>.</summary>
internal sealed record SparkArguments
{
    public string? Connection { get; init; }
    public string? Language { get; init; }
    public string? Session { get; init; }
    public string? Out { get; init; }
    public int? Limit { get; init; }
    public Dictionary<string, object?> Parameters { get; init; } = new(StringComparer.Ordinal);

    public static SparkArguments Parse(string text)
    {
        var tokens = SqlArguments.Tokens(text);
        var result = new SparkArguments();
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            string Next() => i + 1 < tokens.Count ? tokens[++i] : throw new ArgumentException($"{t} needs a value");
            result = t switch
            {
                "--lang" or "-l" => result with { Language = SparkLanguages.Parse(Next()) },
                "--session" or "-s" => result with { Session = Name(Next(), "--session") },
                "--out" or "-o" => result with { Out = Identifier(Next()) },
                "--limit" or "-n" => result with { Limit = int.TryParse(Next(), out var n) && n > 0 ? n : throw new ArgumentException("--limit needs a positive number") },
                "--param" or "-p" => result.WithParameter(Next()),
                "--connection" or "-c" => result.WithConnection(Next()),
                _ when t.StartsWith('-') => throw new ArgumentException($"unknown option '{t}' (%%spark [connection] [--lang sql|scala|python|r] [--session name] [--out name] [--limit N] [--param k=v])"),
                _ => result.WithConnection(t),
            };
        }
        return result;
    }

    private SparkArguments WithConnection(string name) =>
        Connection is null ? this with { Connection = name } : throw new ArgumentException($"unexpected '{name}' (connection is already '{Connection}')");

    private SparkArguments WithParameter(string kv)
    {
        var eq = kv.IndexOf('=');
        if (eq <= 0) throw new ArgumentException($"--param needs name=value, not '{kv}'");
        Parameters[kv[..eq]] = kv[(eq + 1)..];
        return this;
    }

    internal static string Identifier(string text) =>
        Regex.IsMatch(text, @"^[A-Za-z_]\w*$") ? text : throw new ArgumentException($"--out needs a C# identifier, not '{text}'");

    internal static string Name(string text, string option) =>
        Regex.IsMatch(text, @"^[A-Za-z0-9_.-]{1,64}$") ? text : throw new ArgumentException($"{option} needs a name of letters, digits, '_', '-' or '.', not '{text}'");
}

/// <summary>
/// <c>%spark</c>'s subcommands: <c>info</c>, <c>sessions</c>, <c>logs [session]</c>, <c>delete [session]</c>,
/// <c>config [key[=value]]... [--unset key]</c>, <c>submit file [--class C] [--name N] [--conf k=v]... [args]</c>
/// (our options anywhere; after <c>--</c> everything is the job's); each may name the connection with <c>-c name</c>.
/// </summary>
internal sealed record SparkCommand
{
    public required string Verb { get; init; }
    public string? Connection { get; init; }
    public IReadOnlyList<string> Operands { get; init; } = [];
    public string? ClassName { get; init; }
    public string? Name { get; init; }
    public Dictionary<string, string> Conf { get; init; } = new(StringComparer.Ordinal);
    public IReadOnlyList<string> Unset { get; init; } = [];

    public static readonly IReadOnlyList<string> Verbs = ["info", "sessions", "logs", "delete", "config", "submit"];

    public static SparkCommand Parse(string text)
    {
        var tokens = SqlArguments.Tokens(text);
        if (tokens.Count == 0) return new SparkCommand { Verb = "info" };
        var verb = tokens[0].ToLowerInvariant();
        if (!Verbs.Contains(verb)) throw new ArgumentException($"unknown %spark command '{tokens[0]}' (one of {string.Join(", ", Verbs)}; %%spark runs code)");
        string? connection = null, className = null, name = null;
        var operands = new List<string>();
        var conf = new Dictionary<string, string>(StringComparer.Ordinal);
        var unset = new List<string>();
        var optionsEnded = false;
        for (var i = 1; i < tokens.Count; i++)
        {
            var t = tokens[i];
            string Next() => i + 1 < tokens.Count ? tokens[++i] : throw new ArgumentException($"{t} needs a value");
            // Our options may stand anywhere; after "--", everything is the job's arguments.
            if (optionsEnded) { operands.Add(t); continue; }
            if (t == "--" && verb == "submit") { optionsEnded = true; continue; }
            switch (t)
            {
                case "-c" or "--connection": connection = Next(); break;
                case "--class" when verb == "submit": className = Next(); break;
                case "--name" when verb == "submit": name = Next(); break;
                case "--conf" when verb == "submit": AddPair(conf, Next(), "--conf"); break;
                case "--unset" when verb == "config": unset.Add(Next()); break;
                default:
                    if (t.StartsWith('-') && verb != "submit") throw new ArgumentException($"unknown option '{t}' for %spark {verb}");
                    operands.Add(t);
                    break;
            }
        }
        if (verb == "submit" && operands.Count == 0) throw new ArgumentException("%spark submit needs a file: %spark submit <file> [--class C] [--name N] [--conf k=v] [args...]");
        return new SparkCommand { Verb = verb, Connection = connection, Operands = operands, ClassName = className, Name = name, Conf = conf, Unset = unset };
    }

    internal static void AddPair(Dictionary<string, string> into, string kv, string option)
    {
        var eq = kv.IndexOf('=');
        if (eq <= 0) throw new ArgumentException($"{option} needs key=value, not '{kv}'");
        into[kv[..eq]] = kv[(eq + 1)..];
    }
}
