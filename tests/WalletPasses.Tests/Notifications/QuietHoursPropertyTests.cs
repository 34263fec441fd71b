using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using WalletPasses.Notifications;

namespace WalletPasses.Tests.Notifications;

/// <summary>
/// Quiet hours for any night, any zone and any instant near a daylight-saving change, not just the examples of
/// <see cref="NotificationPolicyTests"/>. Zones are IANA ids from the system's tzdata (https://www.iana.org/time-zones),
/// chosen for their offsets: whole hours with EU or US daylight saving, 30 and 45 minutes (Kolkata, Kathmandu,
/// Chatham, St John's, Adelaide), a 30-minute daylight-saving shift (Lord Howe) and a change at midnight (Santiago).
/// </summary>
public sealed class QuietHoursPropertyTests
{
    private static readonly TimeZoneInfo[] Zones = [.. new[]
    {
        "UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Pacific/Chatham",
        "America/St_Johns", "Australia/Adelaide", "Australia/Lord_Howe", "America/Santiago",
    }.Select(TimeZoneInfo.FindSystemTimeZoneById)];

    /// <summary>The instants of 2026 at which each zone's offset changes (UTC has none: a day in spring stands in).</summary>
    private static readonly Dictionary<string, DateTimeOffset[]> Changes = Zones.ToDictionary(zone => zone.Id, ChangesIn2026);

    /// <summary>Evening-to-morning nights and daytime ones, to the minute (equal ends are no quiet hours).</summary>
    private static Gen<QuietHours> Nights() =>
        from start in Gen.Choose(0, (24 * 60) - 1)
        from end in Gen.Choose(0, (24 * 60) - 1)
        where start != end
        select new QuietHours(TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(start)), TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(end)));

    /// <summary>A zone and an instant within two days of one of its offset changes, to the second.</summary>
    private static Gen<(TimeZoneInfo Zone, DateTimeOffset Now)> NearAChange() =>
        from zone in Gen.Elements(Zones)
        from change in Gen.Elements(Changes[zone.Id])
        from seconds in Gen.Choose(-2 * 86_400, 2 * 86_400)
        select (zone, change.AddSeconds(seconds));

    private static Arbitrary<(QuietHours Night, TimeZoneInfo Zone, DateTimeOffset Now)> Cases() =>
        Nights().SelectMany(_ => NearAChange(), (night, at) => (night, at.Zone, at.Now)).ToArbitrary();

    [Property(MaxTest = 3000)]
    public Property Quiet_hours_end_after_now_and_it_is_quiet_every_minute_until_then() =>
        Prop.ForAll(Cases(), c =>
        {
            if (!c.Night.Contains(c.Now, c.Zone))
            {
                return true.Label("not quiet");
            }

            // Where the clocks go back before the end, the repeated times were quiet (or not) once already: the night
            // goes on until the end (a clock back from 00:00 to 23:00 shows times before a 23:36 start again).
            var end = c.Night.EndAfter(c.Now, c.Zone);
            var clockGoesBack = c.Zone.GetUtcOffset(end) < c.Zone.GetUtcOffset(c.Now);
            var firstGap = clockGoesBack ? default : Enumerable.Range(1, (int)Math.Max(0, Math.Ceiling((end - c.Now).TotalMinutes) - 1))
                .Select(minutes => c.Now.AddMinutes(minutes))
                .FirstOrDefault(at => at < end && !c.Night.Contains(at, c.Zone));
            return (end > c.Now).Label($"{c} ends at {end}, not after now")
                .And((end - c.Now <= TimeSpan.FromHours(25)).Label($"{c} ends at {end}, over a day later"))
                .And((firstGap == default).Label($"{c} ends at {end}, but at {firstGap} it is not quiet"));
        });

    [Property(MaxTest = 3000)]
    public Property At_their_end_the_members_clock_shows_the_end_or_the_first_time_after_a_skipped_one() =>
        Prop.ForAll(Cases(), c =>
        {
            if (!c.Night.Contains(c.Now, c.Zone))
            {
                return true.Label("not quiet");
            }

            var end = c.Night.EndAfter(c.Now, c.Zone);
            var local = TimeZoneInfo.ConvertTime(end, c.Zone).DateTime;
            var wanted = DateOnly.FromDateTime(local).ToDateTime(c.Night.End);
            var skipped = c.Zone.IsInvalidTime(wanted) && !c.Zone.IsInvalidTime(local) && c.Zone.IsInvalidTime(local.AddMinutes(-1));
            return (TimeOnly.FromDateTime(local) == c.Night.End || skipped).Label($"{c} ends at {end}, {local:HH:mm} local");
        });

    private static DateTimeOffset[] ChangesIn2026(TimeZoneInfo zone)
    {
        var changes = new List<DateTimeOffset>();
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var previous = zone.GetUtcOffset(at); at.Year == 2026; at = at.AddMinutes(15))
        {
            var offset = zone.GetUtcOffset(at);
            if (offset != previous)
            {
                changes.Add(at);
                previous = offset;
            }
        }

        return changes.Count > 0 ? [.. changes] : [new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero)];
    }
}
