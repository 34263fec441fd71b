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

    /// <summary>
    /// WCAG 2's contrast ratio between two colours, 1 to 21 ("contrast ratio" and "relative luminance" in the WCAG 2.2
    /// glossary): 4.5 is the least for normal text (success criterion 1.4.3, level AA), and pass labels are small text.
    /// </summary>
    public double ContrastRatio(HexColor other)
    {
        var (lighter, darker) = (RelativeLuminance(this), RelativeLuminance(other)) is var (a, b) && a >= b ? (a, b) : (b, a);
        return (lighter + 0.05) / (darker + 0.05);
    }

    private static double RelativeLuminance(HexColor color) =>
        (0.2126 * Linear(color.Red)) + (0.7152 * Linear(color.Green)) + (0.0722 * Linear(color.Blue));

    private static double Linear(byte channel)
    {
        var value = channel / 255.0;
        return value <= 0.04045 ? value / 12.92 : Math.Pow((value + 0.055) / 1.055, 2.4);
    }

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
