using System.Globalization;

namespace KernelGateway.Platform.Trino;

/// <summary>
/// A Trino <c>interval year to month</c>: a signed number of months. Its text is Trino's, <c>years-months</c> with
/// the sign in front: 14 months is <c>1-2</c>, minus 3 months is <c>-0-3</c>.
/// </summary>
/// <param name="TotalMonths">The length in months (negative for a negative interval).</param>
public readonly record struct TrinoYearMonthInterval(int TotalMonths) : IComparable<TrinoYearMonthInterval>
{
    /// <summary>The whole years (negative for a negative interval).</summary>
    public int Years => TotalMonths / 12;

    /// <summary>The months after the whole years, -11 to 11, with the interval's sign.</summary>
    public int Months => TotalMonths % 12;

    /// <summary>An interval of <paramref name="years"/> and <paramref name="months"/>, both counted with their sign.</summary>
    /// <exception cref="OverflowException">The total does not fit 32-bit months.</exception>
    public static TrinoYearMonthInterval FromYearsAndMonths(int years, int months) => new(checked(years * 12 + months));

    /// <summary>Parses Trino's text (<c>1-2</c>, <c>-0-3</c>).</summary>
    /// <exception cref="FormatException">The text is not <c>[-]years-months</c>, or months is 12 or more.</exception>
    public static TrinoYearMonthInterval Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TrinoText.TryParseYearMonth(System.Text.Encoding.UTF8.GetBytes(text), out var months)
            ? new TrinoYearMonthInterval(months)
            : throw new FormatException($"'{text}' is not an interval year to month (expected years-months, e.g. 1-2)");
    }

    /// <inheritdoc/>
    public int CompareTo(TrinoYearMonthInterval other) => TotalMonths.CompareTo(other.TotalMonths);

    /// <summary>Trino's text: <c>1-2</c>, <c>-0-3</c>.</summary>
    public override string ToString()
    {
        long months = TotalMonths; // -int.MinValue does not fit an int
        var sign = months < 0 ? "-" : "";
        months = Math.Abs(months);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{months / 12}-{months % 12}");
    }
}
