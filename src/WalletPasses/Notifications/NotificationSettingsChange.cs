namespace WalletPasses.Notifications;

/// <summary>What a member update says about the notification settings; a value left out keeps the current one (an empty time zone drops the member's own).</summary>
public sealed record NotificationSettingsChange(string? Preference, string? TimeZone)
{
    public static NotificationSettingsChange None { get; } = new(null, null);

    public NotificationSettings ApplyTo(NotificationSettings current) =>
        new(Preference ?? current.Preference, MemberTimeZones.Apply(TimeZone, current.TimeZone));
}
