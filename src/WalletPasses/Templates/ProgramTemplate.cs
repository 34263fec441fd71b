using System.Text.Json.Serialization;

namespace WalletPasses.Templates;

/// <summary>
/// A loyalty program's look and words, stored as <c>templates/{programId}/template.json</c> in Blob Storage
/// beside its images. Texts are keys into <see cref="Strings"/> so every platform localizes the same way.
/// </summary>
public sealed record ProgramTemplate
{
    public required string ProgramId { get; init; }

    public required string ProgramName { get; init; }

    public required string OrganizationName { get; init; }

    public required string PassTypeIdentifier { get; init; }

    public required string TeamIdentifier { get; init; }

    public string DefaultLanguage { get; init; } = "en";

    public required TemplateImages Images { get; init; }

    public required IReadOnlyList<TierTemplate> Tiers { get; init; }

    /// <summary>Language -> string key -> text. The default language must define every key in use.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Strings { get; init; }

    public TierTemplate? FindTier(string tierId) => Tiers.FirstOrDefault(t => string.Equals(t.Id, tierId, StringComparison.Ordinal));

    /// <summary>The text of a key in a language, falling back to the default language, then to the key.</summary>
    public string Text(string key, string? language = null)
    {
        if (language is not null && Strings.TryGetValue(language, out var localized) && localized.TryGetValue(key, out var text))
        {
            return text;
        }

        return Strings.TryGetValue(DefaultLanguage, out var fallback) && fallback.TryGetValue(key, out var defaultText) ? defaultText : key;
    }
}

/// <summary>Base names of images; each exists as name.png, name@2x.png and name@3x.png.</summary>
public sealed record TemplateImages
{
    public required string Icon { get; init; }

    public required string Logo { get; init; }

    /// <summary>Square program logo for Google Wallet (one PNG).</summary>
    public string? ProgramLogo { get; init; }

    /// <summary>Wide banner for Google Wallet (one PNG).</summary>
    public string? Hero { get; init; }
}

public sealed record TierTemplate
{
    public required string Id { get; init; }

    public required string BackgroundColor { get; init; }

    public required string ForegroundColor { get; init; }

    public required string LabelColor { get; init; }

    /// <summary>Base name of the tier's strip image.</summary>
    public required string Strip { get; init; }

    public IReadOnlyList<PerkTemplate> Perks { get; init; } = [];
}

public sealed record PerkTemplate
{
    public required string Id { get; init; }

    /// <summary>How often staff may redeem the perk for one member.</summary>
    public PerkRedemption Redemption { get; init; } = PerkRedemption.Unlimited;
}

[JsonConverter(typeof(JsonStringEnumConverter<PerkRedemption>))]
public enum PerkRedemption
{
    Unlimited,
    Once,
    OncePerDay,
}

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

    /// <summary>Apple's changeMessage format strings: each must contain <c>%@</c> (the field's new value).</summary>
    public static readonly string[] ChangeMessages = [PointsChanged, TierChanged, OfferChanged];

    /// <summary>Every string a pass can show (tier and perk names come per tier).</summary>
    public static readonly string[] Required =
        [Description, LogoText, PointsLabel, TierLabel, MemberLabel, PerksLabel, ReferralLabel, ReferralText, .. ChangeMessages];

    public static string Tier(string tierId) => "tier." + tierId;

    public static string Perk(string perkId) => "perk." + perkId;
}
