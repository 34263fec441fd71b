namespace WalletPasses.Notifications;

/// <summary>What a member update says about the notification settings; a value left out keeps the current one.</summary>
public sealed record NotificationSettingsChange(string? Preference, string? TimeZone)
{
    public static NotificationSettingsChange None { get; } = new(null, null);

    public NotificationSettings ApplyTo(NotificationSettings current) =>
        new(Preference ?? current.Preference, TimeZone ?? current.TimeZone);
}
