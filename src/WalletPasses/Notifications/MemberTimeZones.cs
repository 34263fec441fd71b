namespace WalletPasses.Notifications;

/// <summary>
/// Member time zones are IANA ids (<c>Europe/Berlin</c>), resolved by the system's time zone data: .NET on Linux
/// reads IANA ids from tzdata. Windows ids (<c>W. Europe Standard Time</c>) are refused: .NET converts them only
/// through ICU, which the app does without (<c>InvariantGlobalization</c>), so accepting one would depend on the host.
/// </summary>
public static class MemberTimeZones
{
    public const int MaxLength = 64;

    /// <summary>What a member update sends to drop the member's zone, so the deployment's default applies again (null keeps the zone).</summary>
    public const string DeploymentDefault = "";

    public static string? Error(string? timeZone) =>
        timeZone is not null and not DeploymentDefault && Find(timeZone) is null
            ? "timeZone must be an IANA time zone id such as 'Europe/Berlin' or 'America/New_York', or \"\" for the deployment's default."
            : null;

    /// <summary>The member's zone after an update that says <paramref name="change"/>: null keeps <paramref name="current"/>.</summary>
    public static string? Apply(string? change, string? current) => change switch
    {
        null => current,
        DeploymentDefault => null,
        _ => change,
    };

    /// <summary>The zone of an id, or null when the system does not know it.</summary>
    public static TimeZoneInfo? Find(string timeZone)
    {
        if (timeZone.Length is 0 or > MaxLength || timeZone.Any(char.IsControl))
        {
            return null;
        }

        // Not FindSystemTimeZoneById: an id naming a tzdata directory ("Europe") makes it throw a SecurityException.
        return TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) ? zone : null;
    }
}
