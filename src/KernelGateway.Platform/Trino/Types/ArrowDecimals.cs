namespace KernelGateway.Platform.Trino;

/// <summary>
/// decimal128 values: the decimal as an integer count of 10^-scale, from a <see cref="decimal"/> or straight from
/// Trino's decimal text (up to 38 digits, which <see cref="Int128"/> holds).
/// </summary>
internal static class ArrowDecimals
{
    private static readonly Int128[] PowersOfTen = Powers();

    private static Int128[] Powers()
    {
        var powers = new Int128[39];
        powers[0] = 1;
        for (var i = 1; i < powers.Length; i++) powers[i] = powers[i - 1] * 10;
        return powers;
    }

    /// <summary>The value in units of 10^-<paramref name="scale"/> (rounded half away from zero if it has more decimals).</summary>
    /// <exception cref="OverflowException">The value does not fit 128 bits at that scale.</exception>
    public static Int128 Unscaled(decimal value, int scale)
    {
        if (value.Scale > scale) value = decimal.Round(value, scale, MidpointRounding.AwayFromZero);
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var magnitude = ((Int128)(uint)bits[2] << 64) | ((Int128)(uint)bits[1] << 32) | (uint)bits[0];
        magnitude = checked(magnitude * PowersOfTen[scale - value.Scale]);
        return bits[3] < 0 ? -magnitude : magnitude;
    }

    /// <summary>
    /// <c>[-]digits[.digits]</c> in units of 10^-<paramref name="scale"/>; null when the text is not that, has more
    /// decimals than the scale, or does not fit 128 bits.
    /// </summary>
    public static Int128? Unscaled(ReadOnlySpan<byte> text, int scale)
    {
        var negative = text.Length > 0 && text[0] == '-';
        if (negative) text = text[1..];
        Int128 value = 0;
        var digits = 0;
        var decimals = -1;
        foreach (var b in text)
        {
            if (b == '.' && decimals < 0) { decimals = 0; continue; }
            var digit = b - '0';
            if ((uint)digit > 9 || ++digits > 38) return null;
            value = value * 10 + digit;
            if (decimals >= 0) decimals++;
        }
        decimals = Math.Max(decimals, 0);
        if (digits == 0 || decimals > scale || digits - decimals + scale > 38) return null;
        value *= PowersOfTen[scale - decimals];
        return negative ? -value : value;
    }
}
