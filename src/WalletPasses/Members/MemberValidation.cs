using WalletPasses.Notifications;
using WalletPasses.Security;
using WalletPasses.Templates;

namespace WalletPasses.Members;

public static class MemberValidation
{
    public const int MaxMemberIdLength = 128;
    public const int MaxDisplayNameLength = 100;
    public const int MaxUrlLength = 2000;

    /// <summary>
    /// Member ids become Table Storage keys and URL segments, so they are limited to URL-safe ASCII:
    /// none of Table Storage's forbidden <c>/ \ # ?</c> or control characters, at most 128 characters.
    /// </summary>
    public static string? MemberIdError(string? memberId) =>
        string.IsNullOrEmpty(memberId) ? "A member id is required."
        : memberId.Length > MaxMemberIdLength ? $"A member id has at most {MaxMemberIdLength} characters."
        : !IdentifierFormat.MemberId.IsValid(memberId) ? "A member id may contain only letters, digits and - _ . ~ : @ ! $ & ' ( ) * + , ; =."
        : null;

    public static Dictionary<string, string[]> Validate(MemberInput input, ProgramTemplate template, out MemberProfile? profile)
    {
        var errors = new Dictionary<string, string[]>();
        profile = null;
        var displayName = input.DisplayName?.Trim();
        if (DisplayNameError(input.DisplayName) is { } displayNameError)
        {
            errors["displayName"] = [displayNameError];
        }

        if (input.Points is null)
        {
            errors["points"] = ["points is required."];
        }
        else if (input.Points < 0)
        {
            errors["points"] = ["points cannot be negative."];
        }

        if (string.IsNullOrEmpty(input.Tier))
        {
            errors["tier"] = ["tier is required."];
        }
        else if (template.FindTier(input.Tier) is null)
        {
            errors["tier"] = [$"Unknown tier '{Truncate(input.Tier)}'; the program has: {string.Join(", ", template.Tiers.Select(t => t.Id))}."];
        }

        if (input.Sequence < 0)
        {
            errors["sequence"] = ["sequence, when given, is the highest event sequence of the member this PUT reflects: a non-negative integer."];
        }

        if (ReferralUrlError(input.ReferralUrl) is { } referralUrlError)
        {
            errors["referralUrl"] = [referralUrlError];
        }

        if (LanguageError(input.Language) is { } languageError)
        {
            errors["language"] = [languageError];
        }

        if (NotificationPreferences.Error(input.Notifications) is { } notificationsError)
        {
            errors["notifications"] = [notificationsError];
        }

        if (MemberTimeZones.Error(input.TimeZone) is { } timeZoneError)
        {
            errors["timeZone"] = [timeZoneError];
        }

        if (errors.Count == 0)
        {
            profile = new MemberProfile(displayName!, input.Points!.Value, input.Tier!, input.ReferralUrl, input.Language);
        }

        return errors;
    }

    public static string? DisplayNameError(string? displayName) =>
        string.IsNullOrWhiteSpace(displayName) ? "displayName is required."
        : displayName.Trim().Length > MaxDisplayNameLength || displayName.Any(char.IsControl) ? $"displayName has at most {MaxDisplayNameLength} characters and no control characters."
        : null;

    public static string? ReferralUrlError(string? referralUrl) =>
        referralUrl is not null
        && (referralUrl.Length > MaxUrlLength || !Uri.TryCreate(referralUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            ? "referralUrl must be an absolute http(s) URL."
            : null;

    public static string? LanguageError(string? language) =>
        language is not null && !IdentifierFormat.LanguageTag.IsValid(language) ? "language must be a language tag such as 'en' or 'de-AT'." : null;

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
