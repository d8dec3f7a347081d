using System.Text;
using System.Text.RegularExpressions;

namespace KernelGateway.Extensions.Metastore;

/// <summary>A SQL <c>LIKE</c> pattern (<c>%</c> any run, <c>_</c> one character), matched ignoring case.</summary>
internal sealed class LikePattern
{
    private readonly Regex _regex;

    public LikePattern(string pattern)
    {
        var text = new StringBuilder("^");
        foreach (var c in pattern)
        {
            text.Append(c switch
            {
                '%' => ".*",
                '_' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }
        _regex = new Regex(text.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    public bool IsMatch(string name) => _regex.IsMatch(name);
}
