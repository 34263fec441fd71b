namespace WalletPasses.Notifications;

/// <summary>
/// The member's consent to lock-screen alerts (<c>notifications</c> on the member document): every alert, only
/// important ones, or none. Updates reach the pass whatever the preference; only the alert is left out.
/// </summary>
public static class NotificationPreferences
{
    public const string All = "all";
    public const string Important = "important";
    public const string None = "none";

    public static readonly string[] Values = [All, Important, None];

    public static string? Error(string? preference) =>
        preference is not null && !Values.Contains(preference, StringComparer.Ordinal)
            ? $"notifications must be one of: {string.Join(", ", Values)}."
            : null;

    /// <summary>Whether an alert of <paramref name="priority"/> may alert a member with <paramref name="preference"/>.</summary>
    public static bool Allows(string preference, AlertPriority priority) => preference switch
    {
        None => false,
        Important => priority == AlertPriority.Important,
        _ => true,
    };
}
