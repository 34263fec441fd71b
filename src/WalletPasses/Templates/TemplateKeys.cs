namespace WalletPasses.Templates;

/// <summary>The string keys the pass builders use; a template's default language must define them.</summary>
public static class TemplateKeys
{
    public const string Description = "program.description";
    public const string LogoText = "program.logoText";
    public const string PointsLabel = "label.points";
    public const string TierLabel = "label.tier";
    public const string MemberLabel = "label.member";
    public const string PerksLabel = "label.perks";
    public const string ReferralLabel = "label.referral";
    public const string ReferralText = "text.referral";
    public const string PointsChanged = "change.points";
    public const string TierChanged = "change.tier";
    public const string OfferChanged = "change.offer";

    /// <summary>Optional: the program name per language (Google Wallet shows it); <see cref="ProgramTemplate.ProgramName"/> otherwise.</summary>
    public const string ProgramName = "program.name";

    /// <summary>Optional: the text of Google's app link button (<see cref="TemplateLinks.App"/>).</summary>
    public const string AppLinkLabel = "label.app";

    /// <summary>Apple's changeMessage format strings: each must contain <c>%@</c> (the field's new value).</summary>
    public static readonly string[] ChangeMessages = [PointsChanged, TierChanged, OfferChanged];

    /// <summary>Every string a pass can show (tier and perk names come per tier).</summary>
    public static readonly string[] Required =
        [Description, LogoText, PointsLabel, TierLabel, MemberLabel, PerksLabel, ReferralLabel, ReferralText, .. ChangeMessages];

    public static string Tier(string tierId) => "tier." + tierId;

    public static string Perk(string perkId) => "perk." + perkId;
}
