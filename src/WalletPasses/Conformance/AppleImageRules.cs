namespace WalletPasses.Conformance;

/// <summary>
/// Apple's pass images: PNG files named <c>name.png</c>, <c>name@2x.png</c>, <c>name@3x.png</c> (optionally inside a
/// <c>.lproj</c> folder), which images each pass style shows, and the space each is given, in points. Sources: Apple,
/// "Creating the Source for a Pass" (https://developer.apple.com/documentation/walletpasses/creating-the-source-for-a-pass)
/// and the Wallet Developer Guide, "Pass Design and Creation", "Images Fill Their Allotted Space"
/// (https://developer.apple.com/library/archive/documentation/UserExperience/Conceptual/PassKit_PG/Creating.html):
/// background 180×220, footer 286×15, icon 29×29, logo 160×50 (most should be narrower), strip 375×98 on event tickets,
/// 375×144 on coupons (and gift cards, a store card use), 375×123 otherwise, thumbnail 90×90.
/// </summary>
public static class AppleImageRules
{
    public const string Icon = "icon";
    public const string Logo = "logo";
    public const string Strip = "strip";
    public const string Thumbnail = "thumbnail";
    public const string Background = "background";
    public const string Footer = "footer";

    /// <summary>Apple HIG, Wallet, "Pass images" (https://developer.apple.com/design/human-interface-guidelines/wallet): poster backgrounds, 358×448 pt.</summary>
    public const string Artwork = "artwork";

    /// <summary>Apple HIG, Wallet, "Pass images": "used exclusively for semantic passes" and poster generic passes, 30–126×30 pt.</summary>
    public const string PrimaryLogo = "primaryLogo";

    public static readonly string[] Styles = ["boardingPass", "coupon", "eventTicket", "generic", "storeCard"];

    /// <summary>Which images each style shows ("Pass Design and Creation", table 4-1 / "Creating the Source for a Pass").</summary>
    private static readonly Dictionary<string, string[]> ImagesByStyle = new(StringComparer.Ordinal)
    {
        ["boardingPass"] = [Icon, Logo, Footer],
        ["coupon"] = [Icon, Logo, Strip],
        ["eventTicket"] = [Icon, Logo, Strip, Background, Thumbnail],
        ["generic"] = [Icon, Logo, Thumbnail],
        ["storeCard"] = [Icon, Logo, Strip],
        // HIG "Pass images": primaryLogo on "poster event tickets, and poster generic passes", artwork on "poster event tickets, poster generic passes".
        [PosterPassRules.Style] = [Icon, PrimaryLogo, Artwork],
    };

    private static readonly int[] Scales = [1, 2, 3];

    /// <summary>The image kind and scale of a file in a pass (<c>de.lproj/logo@2x.png</c> is logo at 2x), or null for any other file.</summary>
    public static (string Name, int Scale)? Parse(string fileName)
    {
        var name = fileName[(fileName.LastIndexOf('/') + 1)..];
        if (!name.EndsWith(".png", StringComparison.Ordinal))
        {
            return null;
        }

        name = name[..^".png".Length];
        var scale = 1;
        foreach (var candidate in Scales.Skip(1))
        {
            if (name.EndsWith($"@{candidate}x", StringComparison.Ordinal))
            {
                scale = candidate;
                name = name[..^3];
            }
        }

        return ImagesByStyle.Values.Any(images => images.Contains(name)) ? (name, scale) : null;
    }

    /// <summary>Whether <paramref name="style"/> shows the image <paramref name="name"/>.</summary>
    public static bool Shows(string style, string name) => ImagesByStyle.TryGetValue(style, out var images) && images.Contains(name);

    /// <summary>Checks one image file of a pass of <paramref name="style"/>, reported at <paramref name="path"/>.</summary>
    public static void Check(string style, string fileName, byte[] content, string path, ConformanceProblems problems)
    {
        if (Parse(fileName) is not var (name, scale))
        {
            return;
        }

        if (!PngImage.HasSignature(content))
        {
            problems.Error(path, "The image is not a PNG file (it lacks the PNG signature); Wallet shows only PNG images.", "Save the image as PNG (not renamed JPEG, WebP or SVG).");
            return;
        }

        if (PngImage.Read(content) is not { } size)
        {
            problems.Error(path, "The PNG file is damaged: its header (IHDR) cannot be read.", "Export the image again as PNG.");
            return;
        }

        if (!Shows(style, name))
        {
            problems.Warning(path, $"A {style} pass does not show a {name} image.", $"Remove the file, or use a style that shows it ({string.Join(", ", ImagesByStyle.Where(s => s.Value.Contains(name)).Select(s => s.Key))}).");
            return;
        }

        var (width, height, exact) = PointSize(style, name);
        var (expectedWidth, expectedHeight) = (width * scale, height * scale);
        var scaleName = scale == 1 ? "" : $"@{scale}x ";
        if (exact && (size.Width != expectedWidth || size.Height != expectedHeight))
        {
            problems.Warning(path, $"The {scaleName}{name} image is {size} pixels; a {style} gives it {width}×{height} points, {expectedWidth}×{expectedHeight} pixels at this scale, so Wallet scales and crops it.", $"Export it at {expectedWidth}×{expectedHeight} pixels.");
        }
        else if (!exact && (size.Width > expectedWidth || size.Height > expectedHeight))
        {
            problems.Warning(path, $"The {scaleName}{name} image is {size} pixels, more than the {width}×{height} points ({expectedWidth}×{expectedHeight} pixels at this scale) Wallet gives it, so it is scaled down.", $"Export it within {expectedWidth}×{expectedHeight} pixels.");
        }
    }

    /// <summary>The space an image has on a pass of the style, in points, and whether it fills that space exactly.</summary>
    public static (int Width, int Height, bool Exact) PointSize(string style, string name) => name switch
    {
        Icon => (29, 29, true),
        Logo => (160, 50, false),
        Strip => style switch
        {
            "eventTicket" => (375, 98, true),
            "coupon" => (375, 144, true),
            _ => (375, 123, true),
        },
        Thumbnail => (90, 90, false),
        Background => (180, 220, true),
        Footer => (286, 15, false),
        Artwork => (358, 448, true),
        PrimaryLogo => (126, 30, false),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not an Apple pass image."),
    };
}
