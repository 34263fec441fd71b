using WalletPasses.Google;
using WalletPasses.Members;
using WalletPasses.Templates;

namespace WalletPasses.Conformance;

/// <summary>
/// Google Wallet's limits, checked on the class and on every tier × language object the real
/// <see cref="GooglePassContent"/> builds for the longest member. Lengths are the "recommended maximum" of the field
/// descriptions in the walletobjects v1 discovery document (vendored in tests/WalletPasses.Tests/Google/TestData;
/// longer text is cut with an ellipsis on small screens: warnings); counts, ids and images are Google's rules (errors);
/// images follow Google's brand guidelines (https://developers.google.com/wallet/retail/loyalty-cards/resources/brand-guidelines):
/// program logo square, at least 660×660; hero image 3:1 or wider, 1032×336 recommended.
/// </summary>
public static class GoogleTemplateRules
{
    /// <summary>LoyaltyClass.programName / localizedProgramName: "may display an ellipsis after the first 20 characters".</summary>
    public const int ProgramNameLength = 20;

    /// <summary>LoyaltyClass.issuerName: "Recommended maximum length is 20 characters".</summary>
    public const int IssuerNameLength = 20;

    /// <summary>LoyaltyClass.accountNameLabel: "Recommended maximum length is 15 characters".</summary>
    public const int AccountNameLabelLength = 15;

    /// <summary>LoyaltyPoints.label: "Recommended maximum length is 9 characters".</summary>
    public const int PointsLabelLength = 9;

    /// <summary>LoyaltyPoints.balance: "Recommended maximum length is 7 characters".</summary>
    public const int PointsBalanceLength = 7;

    /// <summary>TextModuleData.header: "Recommended maximum length is 35 characters".</summary>
    public const int TextModuleHeaderLength = 35;

    /// <summary>TextModuleData.body: "Recommended maximum length is 500 characters".</summary>
    public const int TextModuleBodyLength = 500;

    /// <summary>Uri.description: "Recommended maximum is 20 characters".</summary>
    public const int LinkDescriptionLength = 20;

    /// <summary>LoyaltyObject.textModulesData and messages: "The maximum number of these fields ... is 10".</summary>
    public const int MaxModules = 10;

    /// <summary>Google's JWT guide: an "Add to Google Wallet" link longer than 1,800 characters may not open (browsers and Google cut it).</summary>
    public const int MaxSaveLinkLength = 1800;

    public const int MinProgramLogoSize = 660;
    public const int HeroWidth = 1032;

    public static void Check(ProgramTemplate template, IReadOnlyDictionary<string, byte[]> images, IReadOnlyList<TierTemplate> tiers, TemplateConformanceContext context, ConformanceProblems problems)
    {
        var google = context.Google!;
        var imagesUsable = CheckImages(template, images, tiers, problems);
        if (context.BaseUri.Scheme != Uri.UriSchemeHttps)
        {
            problems.Warning("settings.PublicBaseUrl", "PublicBaseUrl is not HTTPS: Google Wallet fetches class and object images from public HTTPS URLs only.", "Serve the service over HTTPS and set PublicBaseUrl to that address.");
        }

        if (!imagesUsable || !template.Strings.ContainsKey(template.DefaultLanguage) || template.Tiers.Count == 0)
        {
            return; // the builders need the images, the default language and a first tier; those errors are reported already
        }

        var loaded = new LoadedTemplate(template, images, "conformance");
        CheckClass(template, google.LoyaltyClassFor(loaded, template.ProgramId), problems);
        foreach (var tier in tiers)
        {
            foreach (var language in template.Strings.Keys)
            {
                CheckObject(template, tier, language, google.LoyaltyObjectFor(loaded, LongestMember(tier, language), []), problems);
            }
        }

        if (context.SaveLinks is { } saveLinks)
        {
            // The JWT names only the object and the class (SaveJwtBuilder's "skinny" JWT): its length depends on the issuer,
            // the program and the service account, not on the tier or language, so one link with the longest ids stands for all.
            var link = saveLinks.CreateSaveUrl(google.ObjectIdFor(LongestMember(tiers.Count > 0 ? tiers[0] : template.Tiers[0], template.DefaultLanguage).Pass.SerialNumber), google.ClassIdFor(template.ProgramId), context.Now + context.SaveLinkLifetime).AbsoluteUri;
            if (link.Length > MaxSaveLinkLength)
            {
                problems.Error("google.saveLink", $"The \"Add to Google Wallet\" link is {link.Length} characters, over the {MaxSaveLinkLength} that browsers and Google accept.", "Shorten the issuer's class id (program id), the service account's e-mail or the configured origins.");
            }
        }
    }

    /// <summary>A member at the service's limits: the longest name and id, a referral link, in the given tier and language.</summary>
    public static Member LongestMember(TierTemplate tier, string language) => new(
        new string('m', MemberValidation.MaxMemberIdLength),
        new MemberProfile(new string('W', MemberValidation.MaxDisplayNameLength), int.MaxValue, tier.Id, "https://example.com/r/" + new string('r', 64), language),
        new MemberPass(new string('f', 32), "WP1." + new string('b', 160), 1, DateTimeOffset.UnixEpoch, Voided: false, Silent: false) { BarcodeAltText = "ABCD-EFGH" },
        [],
        Deleted: false);

    private static bool CheckImages(ProgramTemplate template, IReadOnlyDictionary<string, byte[]> images, IReadOnlyList<TierTemplate> tiers, ConformanceProblems problems)
    {
        var usable = true;
        if (template.Images.ProgramLogo is not { } logoFile)
        {
            problems.Error("images.programLogo", GoogleTemplateRule.ProgramLogoRequired, "Upload a square PNG (at least 660×660) and name it in images.programLogo.");
            usable = false;
        }
        else if (ReadImage(images, logoFile, "program logo", problems) is not { } logo)
        {
            usable = false;
        }
        else if (logo.Width != logo.Height || logo.Width < MinProgramLogoSize)
        {
            problems.Warning($"images/{logoFile}", $"The program logo is {logo} pixels; Google wants a square of at least {MinProgramLogoSize}×{MinProgramLogoSize} (shown cropped to a circle).", $"Export a square PNG of {MinProgramLogoSize}×{MinProgramLogoSize} pixels or more, the logo inside the circle.");
        }

        if (template.Images.Hero is { } heroFile)
        {
            if (ReadImage(images, heroFile, "hero image", problems) is not { } hero)
            {
                usable = false;
            }
            else
            {
                CheckHero(hero, $"images/{heroFile}", "class hero image", problems);
            }
        }

        // Each object shows its tier's strip (@3x) as its hero image.
        foreach (var tier in tiers)
        {
            if (images.TryGetValue(tier.Strip + "@3x.png", out var strip) && PngImage.Read(strip) is { } size)
            {
                CheckHero(size, $"images/{tier.Strip}@3x.png", $"{tier.Id} strip (the Google object's hero image)", problems);
            }
            else
            {
                usable = false; // reported with the Apple images
            }
        }

        return usable;
    }

    private static PngImage? ReadImage(IReadOnlyDictionary<string, byte[]> images, string file, string what, ConformanceProblems problems)
    {
        if (!images.TryGetValue(file, out var content))
        {
            problems.Error($"images/{file}", $"The {what} '{file}' is missing.", $"Upload images/{file}.");
            return null;
        }

        var size = PngImage.Read(content);
        if (size is null && PngImage.HasSignature(content))
        {
            problems.Error($"images/{file}", $"The {what} is a damaged PNG.", "Export the image again as PNG.");
        }

        return size; // a file without the PNG signature is reported with every image
    }

    private static void CheckHero(PngImage size, string path, string what, ConformanceProblems problems)
    {
        if (size.Width < 3 * size.Height)
        {
            problems.Warning(path, $"The {what} is {size} pixels, narrower than Google's 3:1; Google Wallet crops it.", $"Use a 3:1 or wider image, {HeroWidth}×336 pixels recommended.");
        }
        else if (size.Width < HeroWidth)
        {
            problems.Warning(path, $"The {what} is {size.Width} pixels wide, less than the {HeroWidth} Google recommends; it looks blurred.", $"Export it at {HeroWidth}×336 pixels or more.");
        }
    }

    private static void CheckClass(ProgramTemplate template, LoyaltyClass loyaltyClass, ConformanceProblems problems)
    {
        CheckLength(loyaltyClass.IssuerName, IssuerNameLength, "organizationName", "issuer name", problems);
        CheckLocalized(template, loyaltyClass.LocalizedProgramName, TemplateKeys.ProgramName, ProgramNameLength, "program name", problems, fallbackPath: "programName");
        CheckLocalized(template, loyaltyClass.LocalizedAccountNameLabel, TemplateKeys.MemberLabel, AccountNameLabelLength, "account name label", problems);
        CheckLocalized(template, loyaltyClass.AppLinkData?.DisplayText, TemplateKeys.AppLinkLabel, GoogleValueAddedModules.AppLinkTextLength, "app link text", problems);
    }

    private static void CheckObject(ProgramTemplate template, TierTemplate tier, string language, LoyaltyObject loyaltyObject, ConformanceProblems problems)
    {
        string At(string key) => TemplateConformance.StringPath(template, language, key);
        CheckLength(loyaltyObject.LoyaltyPoints?.Label, PointsLabelLength, At(TemplateKeys.PointsLabel), "points label", problems);
        CheckLength(loyaltyObject.SecondaryLoyaltyPoints?.Label, PointsLabelLength, At(TemplateKeys.TierLabel), "tier label (secondaryLoyaltyPoints.label)", problems);
        CheckLength(loyaltyObject.SecondaryLoyaltyPoints?.Balance.StringValue, PointsBalanceLength, At(TemplateKeys.Tier(tier.Id)), "tier name (secondaryLoyaltyPoints.balance)", problems);

        var modules = loyaltyObject.TextModulesData ?? [];
        if (modules.Count > MaxModules)
        {
            problems.Error($"tiers.{tier.Id}", $"The Google object has {modules.Count} text modules; Google shows at most {MaxModules}.", "Use fewer text modules.");
        }

        foreach (var module in modules)
        {
            var (headerKey, bodyPath) = module.Id == "perks"
                ? (TemplateKeys.PerksLabel, $"tiers.{tier.Id}.perks")
                : (TemplateKeys.ReferralLabel, At(TemplateKeys.ReferralText));
            // TextModuleData.id: "should only include alphanumeric characters, '_', or '-'".
            if (module.Id is { } id && !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                problems.Error(bodyPath, $"Text module id '{id}' has characters Google does not allow.", "Use letters, digits, '_' or '-'.");
            }

            CheckLength(module.Header, TextModuleHeaderLength, At(headerKey), "text module header", problems);
            CheckLength(module.Body, TextModuleBodyLength, bodyPath, "text module body", problems);
        }

        foreach (var link in loyaltyObject.LinksModuleData?.Uris ?? [])
        {
            CheckLength(link.Description, LinkDescriptionLength, At(TemplateKeys.ReferralLabel), "link description", problems);
        }

        // The perks module's header is the perks label (offers come at run time: Google cuts their text).
        foreach (var module in (loyaltyObject.ValueAddedModuleData ?? []).Where(module => module.SortIndex == 0))
        {
            CheckLength(module.Header.DefaultValue.Value, GoogleValueAddedModules.HeaderLength, At(TemplateKeys.PerksLabel), "value-added module header", problems);
        }

        if (loyaltyObject.Messages is { Count: > MaxModules } messages)
        {
            problems.Error($"tiers.{tier.Id}", $"The Google object has {messages.Count} messages; Google allows {MaxModules}.", "Send fewer messages.");
        }
    }

    private static void CheckLocalized(ProgramTemplate template, LocalizedString? text, string key, int limit, string what, ConformanceProblems problems, string? fallbackPath = null)
    {
        if (text is null)
        {
            return;
        }

        foreach (var translated in (text.TranslatedValues ?? []).Prepend(text.DefaultValue))
        {
            var defined = template.Strings.TryGetValue(translated.Language, out var texts) && texts.ContainsKey(key);
            CheckLength(translated.Value, limit, defined || fallbackPath is null ? TemplateConformance.StringPath(template, translated.Language, key) : fallbackPath, what, problems);
        }
    }

    private static void CheckLength(string? value, int limit, string path, string what, ConformanceProblems problems)
    {
        if (value is not null && value.Length > limit)
        {
            problems.Warning(path, $"The Google Wallet {what} \"{value}\" has {value.Length} characters; Google recommends at most {limit} and may cut the rest on small screens.", $"Shorten it to {limit} characters.");
        }
    }
}
