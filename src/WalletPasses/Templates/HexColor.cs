namespace WalletPasses.Templates;

/// <summary>Template colours are #RRGGBB; each platform formats them its own way.</summary>
public readonly record struct HexColor(byte Red, byte Green, byte Blue)
{
    public static bool TryParse(string value, out HexColor color)
    {
        color = default;
        if (value is not { Length: 7 } || value[0] != '#' || !value.AsSpan(1).ContainsOnlyHex())
        {
            return false;
        }

        var rgb = Convert.FromHexString(value.AsSpan(1));
        color = new HexColor(rgb[0], rgb[1], rgb[2]);
        return true;
    }

    public static HexColor Parse(string value) =>
        TryParse(value, out var color) ? color : throw new FormatException($"'{value}' is not a #RRGGBB colour.");

    /// <summary>Apple's pass.json colour form.</summary>
    public string ToCssRgb() => $"rgb({Red}, {Green}, {Blue})";
}

file static class SpanHex
{
    public static bool ContainsOnlyHex(this ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
