using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelGateway.Tests.Fixtures.Trino.Types;

/// <summary>A DuckDB interval (months, days, microseconds), read from DuckDB's text or a <see cref="TimeSpan"/>.</summary>
internal readonly partial record struct DuckInterval(long Months, long Days, long Micros)
{
    [GeneratedRegex(@"(?<n>-?\d+) (?<unit>year|month|day)s?|(?<sign>-)?(?<h>\d+):(?<m>\d{2}):(?<s>\d{2})(?:\.(?<f>\d+))?")]
    private static partial Regex Part();

    /// <summary>From DuckDB's text, e.g. <c>1 year 2 months -3 days 04:05:06.789</c>, or a TimeSpan (no months).</summary>
    public static DuckInterval From(object value)
    {
        if (value is TimeSpan ts) return new DuckInterval(0, 0, ts.Ticks / 10);
        long months = 0, days = 0, micros = 0;
        foreach (Match m in Part().Matches(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""))
        {
            if (m.Groups["unit"].Success)
            {
                var n = long.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
                switch (m.Groups["unit"].Value)
                {
                    case "year": months += n * 12; break;
                    case "month": months += n; break;
                    default: days += n; break;
                }
                continue;
            }
            var f = m.Groups["f"].Success ? long.Parse(m.Groups["f"].Value.PadRight(6, '0')[..6], CultureInfo.InvariantCulture) : 0;
            var t = ((long.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture) * 60 + long.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture)) * 60
                     + long.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture)) * 1_000_000 + f;
            micros += m.Groups["sign"].Success ? -t : t;
        }
        return new DuckInterval(months, days, micros);
    }
}
