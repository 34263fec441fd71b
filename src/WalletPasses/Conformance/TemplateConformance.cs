using System.Globalization;
using System.Text.Json;
using WalletPasses.Apple;
using WalletPasses.Members;
using WalletPasses.Security;
using WalletPasses.Templates;

namespace WalletPasses.Conformance;

/// <summary>
/// The full conformance check of a template: for every tier the real <see cref="PassJsonBuilder"/> makes the pass.json
/// of the longest member the service accepts, checked with each language's pass.strings (<see cref="AppleTemplateAssets"/>)
/// by <see cref="PassJsonRules"/>; the images by <see cref="AppleImageRules"/>; with Google on, every tier × language
/// loyalty object and the class from the real <see cref="Google.GooglePassContent"/> and the longest save link from the
/// real <see cref="Google.SaveJwtBuilder"/> (<see cref="GoogleTemplateRules"/>). Pure: no I/O.
/// </summary>
public static class TemplateConformance
{
    /// <summary>
    /// Apple publishes no size limit for a .pkpass that we could find; Wallet downloads the whole pass at every update, so
    /// passes over this size are reported as a warning (the project's threshold, not Apple's).
    /// </summary>
    public const int PassSizeWarningBytes = 1024 * 1024;

    /// <summary>Room left for the CMS signature (two RSA-2048 certificates and the signer info come to about 3.5 KB).</summary>
    private const int SignatureAllowanceBytes = 4096;

    /// <summary>Checks a draft as uploaded: its template.json must first be a template at all.</summary>
    public static ConformanceReport CheckDraft(TemplateDraft draft, TemplateConformanceContext context)
    {
        if (Parse(draft.TemplateJson) is not { } template)
        {
            var problems = new ConformanceProblems();
            problems.Error(DefaultTemplate.TemplateFileName, "template.json is not a valid template: " + ParseError(draft.TemplateJson), "Fix the JSON: it needs programId, programName, organizationName, passTypeIdentifier, teamIdentifier, images, tiers and strings.");
            return problems.ToReport();
        }

        return Check(template, draft.Images, context);
    }

    /// <returns>The template, or null when the bytes are not one (see <see cref="ParseError"/>).</returns>
    public static ProgramTemplate? Parse(byte[] templateJson)
    {
        try
        {
            var template = JsonSerializer.Deserialize<ProgramTemplate>(templateJson, BlobTemplateStore.TemplateJson);
            return template is { Tiers: not null, Strings: not null, Images: not null } && template.Tiers.All(tier => tier is not null) && template.Strings.Values.All(texts => texts is not null) ? template : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string ParseError(byte[] templateJson)
    {
        try
        {
            JsonSerializer.Deserialize<ProgramTemplate>(templateJson, BlobTemplateStore.TemplateJson);
            return "tiers, strings and images must be present and not null.";
        }
        catch (JsonException e)
        {
            return e.Message;
        }
    }

    public static ConformanceReport Check(ProgramTemplate template, IReadOnlyDictionary<string, byte[]> images, TemplateConformanceContext context)
    {
        var problems = new ConformanceProblems();
        var buildableTiers = CheckTiers(template, problems);
        CheckLanguages(template, problems);
        var appleImagesComplete = CheckAppleImages(template, images, problems);
        PosterTemplateRules.Check(template, problems);

        foreach (var tier in buildableTiers)
        {
            var passJson = PassJsonBuilder.Build(template, tier, LongestContent(template, tier, context));
            var strings = template.Strings.Keys.ToDictionary(
                language => language, IReadOnlyDictionary<string, string> (language) => AppleTemplateAssets.PassStringEntries(template, language), StringComparer.Ordinal);
            using var document = JsonDocument.Parse(passJson);
            PassJsonRules.Check(document.RootElement, strings, TemplatePaths(template, tier), problems);
            if (appleImagesComplete)
            {
                CheckPassSize(template, images, tier, passJson, problems);
            }
        }

        if (context.Google is not null)
        {
            GoogleTemplateRules.Check(template, images, buildableTiers, context, problems);
        }

        foreach (var message in context.Rules.SelectMany(rule => rule.Check(template)))
        {
            problems.Error("template", message, "Make the template and the deployment's settings agree.");
        }

        return problems.ToReport();
    }

    /// <summary>The template path of a string as the builders resolve it: the language's own text, else the default language's.</summary>
    public static string StringPath(ProgramTemplate template, string? language, string key) =>
        language is not null && template.Strings.TryGetValue(language, out var texts) && texts.ContainsKey(key)
            ? $"languages.{language}.strings.{key}"
            : $"languages.{template.DefaultLanguage}.strings.{key}";

    /// <summary>The longest pass.json a member can have: names, URLs and ids at the service's limits, an offer and a referral.</summary>
    public static PassContent LongestContent(ProgramTemplate template, TierTemplate tier, TemplateConformanceContext context) => new()
    {
        SerialNumber = new string('f', 32),
        AuthenticationToken = new string('a', 43),
        WebServiceUrl = new Uri(context.BaseUri, "api/passkit"),
        BarcodeMessage = "WP1." + new string('b', 160),
        BarcodeAltText = "ABCD-EFGH",
        DisplayName = new string('W', MemberValidation.MaxDisplayNameLength),
        Points = long.MaxValue,
        TierId = tier.Id,
        ReferralUrl = "https://example.com/r/" + new string('r', 64),
        Offers = [new PassOffer("offer", new string('O', 100), new string('o', Events.LoyaltyEventValidation.MaxOfferTextLength), null)],
    };

    private static List<TierTemplate> CheckTiers(ProgramTemplate template, ConformanceProblems problems)
    {
        if (template.Tiers.Count == 0)
        {
            problems.Error("tiers", "The template defines no tiers.", "Add at least one tier (id, colours, strip image).");
        }

        var buildable = new List<TierTemplate>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tier in template.Tiers)
        {
            var ok = true;
            if (!IdentifierFormat.TemplateId.IsValid(tier.Id))
            {
                problems.Error($"tiers.{tier.Id}.id", $"Tier id '{tier.Id}' is not lowercase letters, digits or '-'.", "Rename the tier, for example 'gold'.");
                ok = false;
            }
            else if (!seen.Add(tier.Id))
            {
                problems.Error($"tiers.{tier.Id}.id", $"Tier id '{tier.Id}' is used twice.", "Give every tier its own id.");
                ok = false;
            }

            foreach (var (name, colour) in new[] { ("backgroundColor", tier.BackgroundColor), ("foregroundColor", tier.ForegroundColor), ("labelColor", tier.LabelColor) })
            {
                if (!HexColor.TryParse(colour, out _))
                {
                    // The builders turn #RRGGBB into Apple's rgb(r, g, b) and Google's #rrggbb.
                    problems.Error($"tiers.{tier.Id}.{name}", $"{name} '{colour}' is not a #RRGGBB colour.", "Write the colour as # and six hex digits, for example #1E3932.");
                    ok = false;
                }
            }

            if (ok)
            {
                CheckContrast(tier, problems);
                buildable.Add(tier);
            }
        }

        return buildable;
    }

    /// <summary>
    /// Wallet draws the tier's texts in foregroundColor and their labels in labelColor on backgroundColor: below WCAG's
    /// 4.5:1 (success criterion 1.4.3) a member with low vision, or in sunlight, cannot read them. A warning: the pass
    /// still works.
    /// </summary>
    private static void CheckContrast(TierTemplate tier, ConformanceProblems problems)
    {
        const double least = 4.5;
        var background = HexColor.Parse(tier.BackgroundColor);
        foreach (var (name, colour) in new[] { ("foregroundColor", tier.ForegroundColor), ("labelColor", tier.LabelColor) })
        {
            var ratio = HexColor.Parse(colour).ContrastRatio(background);
            if (ratio < least)
            {
                problems.Warning(
                    $"tiers.{tier.Id}.{name}",
                    string.Create(CultureInfo.InvariantCulture, $"{name} {colour} on backgroundColor {tier.BackgroundColor} has a contrast of {ratio:0.00}:1, under WCAG's 4.5:1: members with low vision cannot read the pass's {(name == "labelColor" ? "labels" : "texts")}."),
                    "Make the colour lighter on a dark background (or darker on a light one) until the contrast is at least 4.5:1, for example #FFFFFF on a dark background.");
            }
        }
    }

    private static void CheckLanguages(ProgramTemplate template, ConformanceProblems problems)
    {
        if (!template.Strings.TryGetValue(template.DefaultLanguage, out var defaults))
        {
            problems.Error("defaultLanguage", $"The default language '{template.DefaultLanguage}' has no strings.", $"Add strings.{template.DefaultLanguage}, or set defaultLanguage to a language the template has.");
            defaults = new Dictionary<string, string>();
        }

        foreach (var language in template.Strings.Keys.Where(language => !IdentifierFormat.LanguageTag.IsValid(language)))
        {
            // Apple names the folder <language>.lproj (or <language>-<region>); Google wants BCP 47 tags.
            problems.Error($"languages.{language}", $"'{language}' is not a language code such as en, de or pt-BR.", "Use an ISO 639 language code, optionally with a region or script (BCP 47).");
        }

        var required = TemplateKeys.Required
            .Concat(template.Tiers.Select(tier => TemplateKeys.Tier(tier.Id)))
            .Concat(template.Tiers.SelectMany(tier => tier.Perks).Select(perk => TemplateKeys.Perk(perk.Id)))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        foreach (var key in required.Where(key => !defaults.ContainsKey(key)))
        {
            problems.Error($"languages.{template.DefaultLanguage}.strings.{key}", $"The string '{key}' is missing in the default language: passes would show the raw key.", $"Add \"{key}\" to strings.{template.DefaultLanguage}.");
        }

        foreach (var (language, texts) in template.Strings.Where(language => language.Key != template.DefaultLanguage))
        {
            foreach (var key in required.Where(key => !texts.ContainsKey(key) && defaults.ContainsKey(key)))
            {
                problems.Warning($"languages.{language}.strings.{key}", $"The string '{key}' is not translated into {language}: {language} passes show the {template.DefaultLanguage} text.", $"Add \"{key}\" to strings.{language}.");
            }
        }
    }

    /// <returns>Whether every image the Apple builder needs is present and a PNG (then a pass can be assembled).</returns>
    private static bool CheckAppleImages(ProgramTemplate template, IReadOnlyDictionary<string, byte[]> images, ConformanceProblems problems)
    {
        var complete = true;
        foreach (var (file, content) in images.Where(image => !PngImage.HasSignature(image.Value)))
        {
            problems.Error($"images/{file}", "The image is not a PNG file (it lacks the PNG signature).", "Save the image as PNG.");
            complete = false;
        }

        var passImages = new List<(string BaseName, string PassName, string Style)> { (template.Images.Icon, AppleImageRules.Icon, "storeCard"), (template.Images.Logo, AppleImageRules.Logo, "storeCard") };
        passImages.AddRange(template.Tiers.Select(tier => (tier.Strip, AppleImageRules.Strip, "storeCard")));
        if (template.Poster is { } poster)
        {
            passImages.Add((poster.Artwork, AppleImageRules.Artwork, PosterPassRules.Style));
            passImages.Add((poster.PrimaryLogo, AppleImageRules.PrimaryLogo, PosterPassRules.Style));
        }

        foreach (var (baseName, passName, style) in passImages.Distinct())
        {
            foreach (var scale in TemplateValidation.Scales)
            {
                var file = $"{baseName}{scale}.png";
                if (!images.TryGetValue(file, out var content))
                {
                    problems.Error($"images/{file}", $"The {passName} image '{file}' is missing (Apple passes carry {passName}.png, {passName}@2x.png and {passName}@3x.png).", $"Upload images/{file}.");
                    complete = false;
                }
                else if (PngImage.HasSignature(content))
                {
                    AppleImageRules.Check(style, $"{passName}{scale}.png", content, $"images/{file}", problems);
                }
            }
        }

        return complete;
    }

    private static void CheckPassSize(ProgramTemplate template, IReadOnlyDictionary<string, byte[]> images, TierTemplate tier, byte[] passJson, ConformanceProblems problems)
    {
        var files = new List<PassFile> { PassFile.Create("pass.json", passJson) };
        files.AddRange(AppleTemplateAssets.Create(template, images).FilesFor(tier));
        files.Add(PassFile.Unlisted("manifest.json", PassManifest.Build(files)));
        files.Add(PassFile.Unlisted("signature", new byte[SignatureAllowanceBytes]));
        var size = StoredZip.Write(files, DateTimeOffset.UnixEpoch).Length;
        if (size > PassSizeWarningBytes)
        {
            problems.Warning($"tiers.{tier.Id}", $"A {tier.Id} pass comes to {size / 1024} KB; Wallet downloads all of it at every update.", $"Keep passes under {PassSizeWarningBytes / 1024} KB: compress the PNGs (the strip and logo are usually the largest).");
        }
    }

    private static PassPaths TemplatePaths(ProgramTemplate template, TierTemplate tier) => new(
        key => key switch
        {
            "passTypeIdentifier" or "teamIdentifier" or "organizationName" => key,
            "description" or "logoText" => StringPath(template, null, key == "description" ? TemplateKeys.Description : TemplateKeys.LogoText),
            _ when key.StartsWith("featuredActions", StringComparison.Ordinal) => "poster." + key,
            _ => $"tiers.{tier.Id}.{key}",
        },
        (section, index, property) => $"tiers.{tier.Id}.fields.{section[..^"Fields".Length]}[{index}].{property}",
        (language, key) => StringPath(template, language, key));
}
