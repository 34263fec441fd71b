namespace WalletPasses.Notifications;

/// <summary>
/// Member time zones are IANA ids (<c>Europe/Berlin</c>), resolved by the system's time zone data: .NET on Linux
/// reads IANA ids from tzdata (and, with ICU, converts Windows ids too).
/// </summary>
public static class MemberTimeZones
{
    public const int MaxLength = 64;

    public static string? Error(string? timeZone) =>
        timeZone is not null && Find(timeZone) is null
            ? "timeZone must be an IANA time zone id such as 'Europe/Berlin' or 'America/New_York'."
            : null;

    /// <summary>The zone of an id, or null when the system does not know it.</summary>
    public static TimeZoneInfo? Find(string timeZone)
    {
        if (timeZone.Length is 0 or > MaxLength || timeZone.Any(char.IsControl))
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }
}
