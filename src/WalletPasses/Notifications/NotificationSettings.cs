namespace WalletPasses.Notifications;

/// <summary>A member's notification preference and time zone (IANA id; null: the program's default zone).</summary>
public sealed record NotificationSettings(string Preference, string? TimeZone)
{
    public static NotificationSettings Default { get; } = new(NotificationPreferences.All, null);
}
