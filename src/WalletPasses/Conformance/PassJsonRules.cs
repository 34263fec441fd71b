using System.Text.Json;
using System.Text.RegularExpressions;
using WalletPasses.Templates;

namespace WalletPasses.Conformance;

/// <summary>
/// Apple's rules for pass.json and its pass.strings, shared by the template check (on the pass.json the real builder
/// makes for each tier) and by the .pkpass check. Sources: Apple, "Pass" (https://developer.apple.com/documentation/walletpasses/pass),
/// "PassFields" (https://developer.apple.com/documentation/walletpasses/passfields), "Pass.Barcodes"
/// (https://developer.apple.com/documentation/walletpasses/pass/barcodes-data.dictionary) and "Creating the Source for a Pass"
/// (https://developer.apple.com/documentation/walletpasses/creating-the-source-for-a-pass).
/// </summary>
public static partial class PassJsonRules
{
    /// <summary>"Pass": the keys every pass needs.</summary>
    public static readonly string[] RequiredKeys = ["description", "formatVersion", "organizationName", "passTypeIdentifier", "serialNumber", "teamIdentifier"];

    /// <summary>"PassFields": the field sets of a style dictionary.</summary>
    public static readonly string[] FieldSets = ["headerFields", "primaryFields", "secondaryFields", "auxiliaryFields", "backFields", "additionalInfoFields", "footerFields"];

    /// <summary>"Pass.Barcodes": the formats every iOS since 9 shows (the legacy <c>barcode</c> allows all but Code 128).</summary>
    public static readonly string[] BarcodeFormats = ["PKBarcodeFormatQR", "PKBarcodeFormatPDF417", "PKBarcodeFormatAztec", "PKBarcodeFormatCode128"];

    /// <summary>"Pass.Barcodes": formats only iOS 27 and later render; older devices need one of <see cref="BarcodeFormats"/> after them.</summary>
    public static readonly string[] NewerBarcodeFormats = ["PKBarcodeFormatCode39", "PKBarcodeFormatCodabar", "PKBarcodeFormatEAN13", "PKBarcodeFormatITF"];

    /// <summary>"PassFieldContent": dateStyle and timeStyle take the same PKDateStyle values (declared before their use below).</summary>
    private static readonly string[] DateStyles = ["PKDateStyleNone", "PKDateStyleShort", "PKDateStyleMedium", "PKDateStyleLong", "PKDateStyleFull"];

    /// <summary>"PassFieldContent": the values of dateStyle and timeStyle (both PKDateStyle), numberStyle and textAlignment.</summary>
    public static readonly (string Property, string[] Values)[] FieldFormats =
    [
        ("dateStyle", DateStyles), ("timeStyle", DateStyles),
        ("numberStyle", ["PKNumberStyleDecimal", "PKNumberStylePercent", "PKNumberStyleScientific", "PKNumberStyleSpellOut"]),
        ("textAlignment", ["PKTextAlignmentLeft", "PKTextAlignmentCenter", "PKTextAlignmentRight", "PKTextAlignmentNatural"]),
    ];

    /// <summary>"Pass": locations is "an array of up to 10 locations", beacons "an array of up to 10 beacons".</summary>
    public const int MaxLocations = 10;

    /// <inheritdoc cref="MaxLocations"/>
    public const int MaxBeacons = 10;

    /// <summary>Encodings Wallet and scanners agree on; "Pass.Barcode": "typically iso-8859-1".</summary>
    public static readonly string[] MessageEncodings = ["iso-8859-1", "utf-8", "us-ascii", "utf-16"];

    /// <summary>
    /// Checks a pass.json with the pass.strings of each language (language → key → text). Returns the pass style found
    /// (<c>storeCard</c>, ...) or null when there is none.
    /// </summary>
    public static string? Check(JsonElement pass, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> strings, PassPaths paths, ConformanceProblems problems)
    {
        if (pass.ValueKind != JsonValueKind.Object)
        {
            problems.Error(paths.Key(""), "pass.json is not a JSON object.", "Write pass.json as one JSON object with the pass's keys.");
            return null;
        }

        CheckRequiredKeys(pass, paths, problems);
        foreach (var colour in new[] { "backgroundColor", "foregroundColor", "labelColor" })
        {
            if (pass.TryGetProperty(colour, out var value) && !IsRgb(value))
            {
                // "Pass": colours are "specified as a CSS-style RGB triple, such as rgb(23, 187, 82)".
                problems.Error(paths.Key(colour), $"{colour} {value.GetRawText()} is not a CSS-style rgb(r, g, b) triple; Wallet ignores it.", "Write the colour as rgb(r, g, b) with each value 0–255, for example rgb(30, 57, 50).");
            }
        }

        CheckBarcodes(pass, paths, problems);
        CheckWebService(pass, paths, problems);
        CheckRelevance(pass, paths, problems);

        var styles = AppleImageRules.Styles.Where(style => pass.TryGetProperty(style, out _)).ToArray();
        PosterPassRules.Check(pass, styles, strings, paths, problems);
        if (styles.Length == 0 && pass.TryGetProperty(PosterPassRules.Style, out _))
        {
            return PosterPassRules.Style; // reported by PosterPassRules: a poster alone does not install on older devices
        }

        if (styles.Length != 1)
        {
            problems.Error(paths.Key(styles.Length == 0 ? "storeCard" : styles[1]), styles.Length == 0 ? "pass.json has no pass style." : $"pass.json has more than one pass style ({string.Join(", ", styles)}).",
                $"Give exactly one of {string.Join(", ", AppleImageRules.Styles)}.");
            return styles.FirstOrDefault();
        }

        CheckFields(pass.GetProperty(styles[0]), strings, paths, problems);
        CheckStringsInEveryLanguage(pass, strings, paths, problems);
        return styles[0];
    }

    private static void CheckRequiredKeys(JsonElement pass, PassPaths paths, ConformanceProblems problems)
    {
        foreach (var key in RequiredKeys)
        {
            if (!pass.TryGetProperty(key, out var value) || (key == "formatVersion" ? !(value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var version) && version == 1) : value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString())))
            {
                problems.Error(paths.Key(key), key == "formatVersion" ? "formatVersion must be the number 1." : $"The required key {key} is missing or empty; Wallet refuses the pass.",
                    key == "formatVersion" ? "Set \"formatVersion\": 1." : $"Give {key} a non-empty string.");
            }
        }

        // "Creating the Source for a Pass": the pass type identifier "always begins with pass." (reverse DNS).
        if (pass.TryGetProperty("passTypeIdentifier", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() is { Length: > 0 } typeId && !typeId.StartsWith("pass.", StringComparison.Ordinal))
        {
            problems.Error(paths.Key("passTypeIdentifier"), $"The pass type identifier '{typeId}' does not begin with 'pass.'.", "Use the Pass Type ID registered with Apple, such as pass.com.example.loyalty.");
        }
    }

    private static void CheckBarcodes(JsonElement pass, PassPaths paths, ConformanceProblems problems)
    {
        var hasArray = pass.TryGetProperty("barcodes", out var barcodes);
        var hasLegacy = pass.TryGetProperty("barcode", out var legacy);
        if (hasLegacy)
        {
            CheckBarcode(legacy, legacy: true, paths.Key("barcode"), problems);
            if (!hasArray)
            {
                problems.Warning(paths.Key("barcode"), "The barcode key is deprecated since iOS 9; newer devices read barcodes.", "Add a barcodes array with the same barcode (keep barcode as the fallback for iOS 8 and earlier).");
            }
        }

        if (!hasArray)
        {
            return;
        }

        if (barcodes.ValueKind != JsonValueKind.Array)
        {
            problems.Error(paths.Key("barcodes"), "barcodes is not an array.", "Write barcodes as an array of barcode dictionaries.");
            return;
        }

        var formats = new List<string?>();
        var index = 0;
        foreach (var barcode in barcodes.EnumerateArray())
        {
            formats.Add(barcode.ValueKind == JsonValueKind.Object && barcode.TryGetProperty("format", out var format) ? format.GetString() : null);
            CheckBarcode(barcode, legacy: false, paths.Key($"barcodes[{index++}]"), problems);
        }

        // Wallet shows the first barcode it can render: an iOS 27 format needs an older one after it for earlier devices.
        if (formats.Count > 0 && formats.All(format => format is null || NewerBarcodeFormats.Contains(format)) && formats.Any(format => format is not null))
        {
            problems.Warning(paths.Key("barcodes"), "Every barcode uses a format only iOS 27 and later render; older devices show no barcode.", "Add a PKBarcodeFormatQR (or PDF417, Aztec, Code 128) barcode after it as the fallback.");
        }
    }

    private static void CheckBarcode(JsonElement barcode, bool legacy, string path, ConformanceProblems problems)
    {
        if (barcode.ValueKind != JsonValueKind.Object)
        {
            problems.Error(path, "A barcode is not a JSON object.", "Give format, message and messageEncoding.");
            return;
        }

        var format = barcode.TryGetProperty("format", out var formatValue) && formatValue.ValueKind == JsonValueKind.String ? formatValue.GetString() : null;
        if (format is null || !(BarcodeFormats.Contains(format) || (!legacy && NewerBarcodeFormats.Contains(format))))
        {
            problems.Error(path + ".format", $"Barcode format {(format is null ? "is missing" : $"'{format}' is not one Wallet knows")}.", $"Use one of {string.Join(", ", BarcodeFormats)}.");
        }
        else if (legacy && format == "PKBarcodeFormatCode128")
        {
            problems.Error(path + ".format", "The legacy barcode key cannot use PKBarcodeFormatCode128 (only the barcodes array can).", "Use QR, PDF417 or Aztec in barcode, and Code 128 only in barcodes.");
        }

        if (!barcode.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String)
        {
            problems.Error(path + ".message", "The barcode has no message.", "Give the barcode's payload as message.");
        }

        if (!barcode.TryGetProperty("messageEncoding", out var encoding) || encoding.ValueKind != JsonValueKind.String)
        {
            problems.Error(path + ".messageEncoding", "The barcode has no messageEncoding; Wallet does not show it.", "Set messageEncoding, typically \"iso-8859-1\".");
        }
        else if (!MessageEncodings.Contains(encoding.GetString()!.ToLowerInvariant()))
        {
            problems.Warning(path + ".messageEncoding", $"messageEncoding '{encoding.GetString()}' is unusual; the device may not encode the message with it.", "Use \"iso-8859-1\" (Apple's usual value) or \"utf-8\".");
        }
    }

    private static void CheckWebService(JsonElement pass, PassPaths paths, ConformanceProblems problems)
    {
        if (!pass.TryGetProperty("webServiceURL", out var url))
        {
            return;
        }

        if (url.ValueKind != JsonValueKind.String || !Uri.TryCreate(url.GetString(), UriKind.Absolute, out var uri))
        {
            problems.Error(paths.Key("webServiceURL"), "webServiceURL is not an absolute URL; the pass never updates.", "Give the web service's absolute HTTPS URL.");
            return;
        }

        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            problems.Warning(paths.Key("webServiceURL"), "webServiceURL is not HTTPS: Wallet talks to HTTP web services only on devices with the developer setting that allows them.", "Serve the web service over HTTPS (set PublicBaseUrl to its https:// address).");
        }

        // "Pass": authenticationToken is required with webServiceURL and "must be 16 characters or longer".
        if (!pass.TryGetProperty("authenticationToken", out var token) || token.ValueKind != JsonValueKind.String || token.GetString()!.Length < 16)
        {
            problems.Error(paths.Key("authenticationToken"), "A pass with webServiceURL needs an authenticationToken of at least 16 characters.", "Give each pass a long random authenticationToken.");
        }
    }

    /// <summary>
    /// Where the pass is relevant. "Pass.Locations": latitude and longitude are required, in degrees; "Pass.Beacons":
    /// proximityUUID is required; "Pass": maxDistance is a number of meters.
    /// </summary>
    private static void CheckRelevance(JsonElement pass, PassPaths paths, ConformanceProblems problems)
    {
        CheckRelevanceList(pass, "locations", MaxLocations, location =>
            !IsNumberWithin(location, "latitude", 90) || !IsNumberWithin(location, "longitude", 180)
                ? "The location needs latitude (degrees, -90 to 90) and longitude (degrees, -180 to 180) as numbers."
                : null, paths, problems);
        CheckRelevanceList(pass, "beacons", MaxBeacons, beacon =>
            beacon.TryGetProperty("proximityUUID", out var uuid) && uuid.ValueKind == JsonValueKind.String && Guid.TryParse(uuid.GetString(), out _)
                ? null
                : "The beacon needs its proximityUUID (a UUID string).", paths, problems);

        if (pass.TryGetProperty("maxDistance", out var distance) && !(distance.ValueKind == JsonValueKind.Number && distance.GetDouble() >= 0))
        {
            problems.Error(paths.Key("maxDistance"), $"maxDistance {distance.GetRawText()} is not a number of meters; Wallet ignores it.", "Write maxDistance as a number, for example 100.");
        }
    }

    private static void CheckRelevanceList(JsonElement pass, string key, int max, Func<JsonElement, string?> itemProblem, PassPaths paths, ConformanceProblems problems)
    {
        if (!pass.TryGetProperty(key, out var items))
        {
            return;
        }

        if (items.ValueKind != JsonValueKind.Array)
        {
            problems.Error(paths.Key(key), $"{key} is not an array.", $"Write {key} as an array of up to {max} objects.");
            return;
        }

        if (items.GetArrayLength() > max)
        {
            problems.Error(paths.Key(key), $"The pass has {items.GetArrayLength()} {key}; Apple allows up to {max}.", $"Keep the {max} that matter most.");
        }

        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            if ((item.ValueKind == JsonValueKind.Object ? itemProblem(item) : "The entry is not a JSON object.") is { } problem)
            {
                problems.Error(paths.Key($"{key}[{index}]"), problem, "Give every entry Apple's required keys.");
            }

            index++;
        }
    }

    private static bool IsNumberWithin(JsonElement item, string key, double limit) =>
        item.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number && Math.Abs(value.GetDouble()) <= limit;

    internal static void CheckFields(JsonElement style, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> strings, PassPaths paths, ConformanceProblems problems)
    {
        if (style.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        // "PassFields": a field's key "must be unique within the scope of the entire pass".
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in FieldSets)
        {
            if (!style.TryGetProperty(section, out var fields) || fields.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var index = 0;
            foreach (var field in fields.EnumerateArray())
            {
                var at = index++;
                if (field.ValueKind != JsonValueKind.Object || !field.TryGetProperty("key", out var keyValue) || keyValue.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(keyValue.GetString()))
                {
                    problems.Error(paths.Field(section, at, "key"), "The field has no key.", "Give every field a key unique in the pass.");
                    continue;
                }

                var key = keyValue.GetString()!;
                if (!keys.Add(key))
                {
                    problems.Error(paths.Field(section, at, "key"), $"The field key '{key}' is used twice; keys must be unique across every field set of the pass.", "Rename one of the fields.");
                }

                if (!field.TryGetProperty("value", out _))
                {
                    problems.Error(paths.Field(section, at, "value"), $"Field '{key}' has no value.", "Give the field a value.");
                }

                foreach (var (property, values) in FieldFormats)
                {
                    if (field.TryGetProperty(property, out var format) && !(format.ValueKind == JsonValueKind.String && values.Contains(format.GetString())))
                    {
                        problems.Error(paths.Field(section, at, property), $"{property} {format.GetRawText()} is not one of Apple's values; Wallet ignores it.", $"Use one of {string.Join(", ", values)}.");
                    }
                }

                if (field.TryGetProperty("changeMessage", out var changeMessage) && changeMessage.ValueKind == JsonValueKind.String)
                {
                    CheckChangeMessage(changeMessage.GetString()!, section, at, strings, paths, problems);
                }
            }
        }
    }

    /// <summary>
    /// "PassFieldContent": changeMessage "must contain the escape %@, which is replaced with the field's new value", in
    /// every language it is translated to; exactly once, as there is one new value to put in it.
    /// </summary>
    private static void CheckChangeMessage(string changeMessage, string section, int index, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> strings, PassPaths paths, ConformanceProblems problems)
    {
        var translated = strings.Where(language => language.Value.ContainsKey(changeMessage)).ToArray();
        if (translated.Length == 0 && PlaceholderProblem(changeMessage, "") is { } problem)
        {
            problems.Error(paths.Field(section, index, "changeMessage"), problem, "Put %@ in the message once, for example \"You now have %@ points\".");
        }

        foreach (var (language, texts) in translated)
        {
            if (PlaceholderProblem(texts[changeMessage], $" ({language})") is { } translationProblem)
            {
                problems.Error(paths.Translation(language, changeMessage), translationProblem, "Put %@ in the text once, where the field's new value goes, for example \"You now have %@ points\".");
            }
        }
    }

    private static string? PlaceholderProblem(string format, string language) => ChangeMessages.Placeholders(format) switch
    {
        1 => null,
        0 => $"The change message{language} has no %@ where the field's new value goes; Wallet shows no alert for it.",
        var count => $"The change message{language} has {count} %@ placeholders; Wallet replaces one with the field's new value, and the others have no value.",
    };

    /// <summary>A text that is a key of some language's pass.strings shows as the raw key in a language without it.</summary>
    private static void CheckStringsInEveryLanguage(JsonElement pass, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> strings, PassPaths paths, ConformanceProblems problems)
    {
        if (strings.Count < 2)
        {
            return;
        }

        var used = new SortedSet<string>(StringComparer.Ordinal);
        CollectTexts(pass, used);
        foreach (var key in used.Where(key => strings.Values.Any(texts => texts.ContainsKey(key))))
        {
            foreach (var language in strings.Where(language => !language.Value.ContainsKey(key)).Select(language => language.Key))
            {
                problems.Error(paths.Translation(language, key), $"'{key}' is translated in other languages but not in {language}: Wallet shows the raw key there.", $"Add \"{key}\" to {language}.lproj/pass.strings.");
            }
        }
    }

    private static void CollectTexts(JsonElement element, SortedSet<string> texts)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                texts.Add(element.GetString()!);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CollectTexts(item, texts);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    CollectTexts(property.Value, texts);
                }

                break;
        }
    }

    private static bool IsRgb(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String || RgbPattern().Match(value.GetString()!) is not { Success: true } match)
        {
            return false;
        }

        return Enumerable.Range(1, 3).All(group => int.Parse(match.Groups[group].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) <= 255);
    }

    [GeneratedRegex(@"^\s*rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)\s*$")]
    private static partial Regex RgbPattern();
}
