namespace WalletPasses.Notifications;

/// <summary>
/// The night, in the member's local time: from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive),
/// across midnight when <see cref="Start"/> is later than <see cref="End"/>; none when both are equal.
/// </summary>
public sealed record QuietHours(TimeOnly Start, TimeOnly End)
{
    public static QuietHours None { get; } = new(TimeOnly.MinValue, TimeOnly.MinValue);

    public bool Contains(TimeOnly local) =>
        Start < End ? local >= Start && local < End
        : Start > End && (local >= Start || local < End);

    /// <summary>Whether <paramref name="now"/> is inside quiet hours in <paramref name="zone"/>.</summary>
    public bool Contains(DateTimeOffset now, TimeZoneInfo zone) => Contains(TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime));

    /// <summary>
    /// The first instant after <paramref name="now"/> (which is inside quiet hours) at which the member's clock reads
    /// <see cref="End"/> or later. Where daylight saving skips <see cref="End"/> (the clock jumps from 02:00 to 03:00),
    /// that is the jump; where the clock shows <see cref="End"/> twice (the hour repeated in autumn), the first time
    /// after <paramref name="now"/> (quiet hours are wall-clock times, so the repeated hour can be quiet twice).
    /// </summary>
    public DateTimeOffset EndAfter(DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var date = DateOnly.FromDateTime(local);
        if (Start > End && TimeOnly.FromDateTime(local) >= Start)
        {
            date = date.AddDays(1); // in the evening part: quiet hours end tomorrow morning
        }

        return Instant(date.ToDateTime(End), zone, now);
    }

    private static DateTimeOffset Instant(DateTime local, TimeZoneInfo zone, DateTimeOffset after)
    {
        // In a skipped hour the first valid local time is the end of the gap (gaps are whole minutes).
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        if (!zone.IsAmbiguousTime(local))
        {
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }

        // The larger offset is the earlier instant.
        var instants = zone.GetAmbiguousTimeOffsets(local).OrderDescending().Select(offset => new DateTimeOffset(local, offset)).ToArray();
        return instants.FirstOrDefault(instant => instant > after, instants[^1]);
    }
}
