using WalletPasses.Members;
using WalletPasses.Templates;

namespace WalletPasses.Google;

/// <summary>
/// The program's pages on a Google pass: the perks page and each offer as value-added modules (they need a page to open,
/// so only with <see cref="TemplateLinks.Perks"/> / <see cref="TemplateLinks.Offers"/> set), and the app as the class's
/// app link. No I/O.
/// </summary>
public static class GoogleValueAddedModules
{
    /// <summary>LoyaltyObject.valueAddedModuleData: "Maximum of ten on the object."</summary>
    public const int MaxModules = 10;

    /// <summary>ValueAddedModuleData.header: "Character limit is 60 and longer strings will be truncated."</summary>
    public const int HeaderLength = 60;

    /// <summary>ValueAddedModuleData.body: "Character limit is 50 and longer strings will be truncated."</summary>
    public const int BodyLength = 50;

    /// <summary>AppLinkData.displayText: "Character limit is 30."</summary>
    public const int AppLinkTextLength = 30;

    /// <summary>The member's modules: the perks page first, then the newest offers that fit in Google's ten.</summary>
    public static IReadOnlyList<ValueAddedModuleData> For(ProgramTemplate program, TierTemplate? tier, string? language, IReadOnlyList<MemberOffer> offers)
    {
        var modules = new List<ValueAddedModuleData>();
        if (program.Links?.Perks is { } perksPage && tier is { Perks.Count: > 0 })
        {
            modules.Add(new ValueAddedModuleData
            {
                Header = Text(program, language, program.Text(TemplateKeys.PerksLabel, language)),
                Uri = perksPage,
                SortIndex = 0,
            });
        }

        if (program.Links?.Offers is { } offersPage)
        {
            modules.AddRange(offers.TakeLast(MaxModules - modules.Count).Select(offer => new ValueAddedModuleData
            {
                Header = Text(program, language, offer.Title),
                Body = Text(program, language, offer.Text),
                Uri = offersPage,
                SortIndex = 1,
                ViewConstraints = offer.ExpiresAt is { } expiresAt ? new ModuleViewConstraints(new TimeInterval { End = WalletDateTime.From(expiresAt) }) : null,
            }));
        }

        return modules;
    }

    /// <summary>The class's app link, or null without <see cref="TemplateLinks.App"/>.</summary>
    public static AppLinkData? AppLink(ProgramTemplate program, Func<string, LocalizedString> localized)
    {
        if (program.Links?.App is not { } app)
        {
            return null;
        }

        var hasText = program.Strings.TryGetValue(program.DefaultLanguage, out var defaults) && defaults.ContainsKey(TemplateKeys.AppLinkLabel);
        return new AppLinkData
        {
            AndroidAppLinkInfo = app.AndroidPackage is { } package ? new AppLinkInfo(new AppTarget { PackageName = package }) : null,
            WebAppLinkInfo = app.Web is { } web ? new AppLinkInfo(new AppTarget { TargetUri = new LinkUri { Uri = web, Description = program.OrganizationName } }) : null,
            DisplayText = hasText ? localized(TemplateKeys.AppLinkLabel) : null,
        };
    }

    private static LocalizedString Text(ProgramTemplate program, string? language, string text) =>
        new() { DefaultValue = new TranslatedString(language ?? program.DefaultLanguage, text) };
}
