namespace WalletPasses.Notifications;

/// <summary>Section <c>WalletPasses:Notifications</c>: the alert budget and quiet hours (a program may have its own).</summary>
public sealed class NotificationOptions
{
    public const string Section = "WalletPasses:Notifications";

    /// <summary>Lock-screen alerts per pass per 24 hours, Apple and Google together; beyond it updates are silent (Google allows 3).</summary>
    public int MaxPerDay { get; set; } = 3;

    /// <summary>Start of quiet hours in the member's local time (<c>HH:mm</c>); equal to <see cref="QuietHoursEnd"/>: none.</summary>
    public string QuietHoursStart { get; set; } = "21:00";

    public string QuietHoursEnd { get; set; } = "08:00";

    /// <summary>The IANA time zone of members without their own <c>timeZone</c>.</summary>
    public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>Quiet hours of particular programs by program id; the others have the deployment's.</summary>
    public Dictionary<string, ProgramQuietHoursOptions> Programs { get; set; } = new(StringComparer.Ordinal);

    public QuietHours QuietHours => new(TimeOnly.ParseExact(QuietHoursStart, "HH:mm"), TimeOnly.ParseExact(QuietHoursEnd, "HH:mm"));

    /// <summary>The program's own quiet hours, or the deployment's.</summary>
    public QuietHours QuietHoursOf(string programId) =>
        Programs.TryGetValue(programId, out var own)
            ? new(TimeOnly.ParseExact(own.QuietHoursStart, "HH:mm"), TimeOnly.ParseExact(own.QuietHoursEnd, "HH:mm"))
            : QuietHours;

    public TimeZoneInfo ZoneOf(string? memberTimeZone) =>
        (memberTimeZone is null ? null : MemberTimeZones.Find(memberTimeZone)) ?? MemberTimeZones.Find(DefaultTimeZone) ?? TimeZoneInfo.Utc;
}
