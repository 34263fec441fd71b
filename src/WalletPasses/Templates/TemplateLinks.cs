namespace WalletPasses.Templates;

/// <summary>
/// The program's web pages and app, shared by every member: the poster's featured actions open them on Apple, and on
/// Google the perks and offers become value-added modules and the app an app link.
/// </summary>
public sealed record TemplateLinks
{
    public const string PerksLink = "perks";
    public const string OffersLink = "offers";
    public const string ReferralLink = "referral";

    /// <summary>The names a featured action can open.</summary>
    public static readonly string[] Names = [PerksLink, OffersLink, ReferralLink];

    /// <summary>HTTPS page listing the program's perks.</summary>
    public string? Perks { get; init; }

    /// <summary>HTTPS page listing the current offers.</summary>
    public string? Offers { get; init; }

    public AppLinkTemplate? App { get; init; }

    /// <summary>The URL a featured action opens for a member, or null when there is none (no referral link yet, say).</summary>
    public string? Resolve(string link, string? referralUrl) => link switch
    {
        PerksLink => Perks,
        OffersLink => Offers,
        ReferralLink => referralUrl,
        _ => null,
    };
}
