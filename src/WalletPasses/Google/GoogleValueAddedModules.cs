using System.Buffers;
using WalletPasses.Members;
using WalletPasses.Templates;

namespace WalletPasses.Google;

/// <summary>
/// The program's pages on a Google pass: the perks page and each offer as value-added modules (they need a page to open,
/// so only with <see cref="TemplateLinks.Perks"/> / <see cref="TemplateLinks.Offers"/> set), and the app as the class's
/// app link. No I/O.
/// </summary>
/// <remarks>
/// An offer's module is its short call to action: Google cuts a module's header at 60 characters and its body at 50, so
/// a longer title or text is shortened here, at a word boundary with an ellipsis, rather than cut mid-word by Google.
/// The whole offer (title up to 100 characters, text up to 500) is the offer's message (<see cref="GooglePassContent.OfferMessage"/>),
/// for which Google documents no length limit.
/// </remarks>
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

    /// <summary>Left off before the ellipsis, so a shortened text does not end "Friday, …".</summary>
    private const string TrimmedBeforeEllipsis = " \t\n\r\u00a0,;:-–—";

    private static readonly SearchValues<char> WordBreaks = SearchValues.Create(" \t\n\r\u00a0");

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
                Header = Text(program, language, Shorten(offer.Title, HeaderLength)),
                Body = Text(program, language, Shorten(offer.Text, BodyLength)),
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

    /// <summary>
    /// <paramref name="text"/> if it fits in <paramref name="limit"/> characters, else as many whole words as fit with
    /// "…" (a single word longer than the limit is cut). Never splits a surrogate pair.
    /// </summary>
    public static string Shorten(string text, int limit)
    {
        if (text.Length <= limit)
        {
            return text;
        }

        var room = limit - 1; // the ellipsis takes one
        if (char.IsLowSurrogate(text[room]))
        {
            room--;
        }

        var cut = text.AsSpan(0, room);
        var wordEnd = char.IsWhiteSpace(text[room]) ? room : cut.LastIndexOfAny(WordBreaks);
        var kept = (wordEnd > 0 ? cut[..wordEnd] : cut).TrimEnd(TrimmedBeforeEllipsis);
        return string.Concat(kept.IsEmpty ? cut : kept, "…");
    }

    private static LocalizedString Text(ProgramTemplate program, string? language, string text) =>
        new() { DefaultValue = new TranslatedString(language ?? program.DefaultLanguage, text) };
}
