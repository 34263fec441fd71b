using Microsoft.Extensions.Time.Testing;
using WalletPasses.Notifications;

namespace WalletPasses.Tests.Notifications;

/// <summary>
/// The notification policy as a pure function, on a fake clock, across time zones. Zones are IANA ids resolved from
/// the system's tzdata; the daylight-saving dates are the EU's (last Sunday of March and October, at 01:00 UTC:
/// 2026-03-29 and 2026-10-25) and the US's (second Sunday of March, first Sunday of November, at 02:00 local).
/// </summary>
public sealed class NotificationPolicyTests
{
    private static readonly QuietHours Night = new(new TimeOnly(21, 0), new TimeOnly(8, 0));
    private static readonly NotificationBudget Fresh = new(0, 3);
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata"); // UTC+05:30 all year

    private static NotificationDecision Decide(AlertPriority priority, DateTimeOffset now, TimeZoneInfo? zone = null, string preference = NotificationPreferences.All, NotificationBudget? budget = null, QuietHours? quietHours = null)
    {
        var clock = new FakeTimeProvider(now);
        return NotificationPolicy.Decide(priority, preference, zone ?? TimeZoneInfo.Utc, quietHours ?? Night, budget ?? Fresh, clock.GetUtcNow());
    }

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0, int second = 0) => new(2026, month, day, hour, minute, second, TimeSpan.Zero);

    [Theory]
    [InlineData(NotificationPreferences.All, AlertPriority.Routine, NotificationOutcome.Send)]
    [InlineData(NotificationPreferences.All, AlertPriority.Important, NotificationOutcome.Send)]
    [InlineData(NotificationPreferences.Important, AlertPriority.Routine, NotificationOutcome.Silence)]
    [InlineData(NotificationPreferences.Important, AlertPriority.Important, NotificationOutcome.Send)]
    [InlineData(NotificationPreferences.None, AlertPriority.Routine, NotificationOutcome.Silence)]
    [InlineData(NotificationPreferences.None, AlertPriority.Important, NotificationOutcome.Silence)]
    public void The_preference_decides_which_alerts_the_member_gets(string preference, AlertPriority priority, NotificationOutcome expected)
    {
        var decision = Decide(priority, Utc(12, 3, 12), preference: preference);

        Assert.Equal(expected, decision.Outcome);
        Assert.Equal(expected == NotificationOutcome.Silence ? SilenceReason.Preference : null, decision.Reason);
    }

    [Fact]
    public void The_preference_wins_over_quiet_hours_so_a_member_who_wants_nothing_is_never_alerted_later()
    {
        var decision = Decide(AlertPriority.Important, Utc(12, 3, 23), preference: NotificationPreferences.None);

        Assert.Equal(NotificationDecision.Silence(SilenceReason.Preference), decision);
    }

    [Fact]
    public void In_quiet_hours_a_routine_alert_is_silenced_and_an_important_one_waits_for_the_morning()
    {
        Assert.Equal(NotificationDecision.Silence(SilenceReason.QuietHours), Decide(AlertPriority.Routine, Utc(12, 3, 23)));
        Assert.Equal(NotificationDecision.Defer(Utc(12, 4, 8)), Decide(AlertPriority.Important, Utc(12, 3, 23)));
        Assert.Equal(NotificationDecision.Defer(Utc(12, 4, 8)), Decide(AlertPriority.Important, Utc(12, 4, 2))); // after midnight: the same morning
    }

    [Fact]
    public void Quiet_hours_start_at_their_first_second_and_end_at_the_last()
    {
        Assert.Equal(NotificationOutcome.Send, Decide(AlertPriority.Routine, Utc(12, 3, 20, 59, 59)).Outcome);
        Assert.Equal(NotificationOutcome.Silence, Decide(AlertPriority.Routine, Utc(12, 3, 21)).Outcome);
        Assert.Equal(NotificationDecision.Defer(Utc(12, 4, 8)), Decide(AlertPriority.Important, Utc(12, 4, 7, 59, 59)));
        Assert.Equal(NotificationOutcome.Send, Decide(AlertPriority.Important, Utc(12, 4, 8)).Outcome);
    }

    [Fact]
    public void Quiet_hours_within_one_day_and_none_at_all()
    {
        var lunch = new QuietHours(new TimeOnly(12, 0), new TimeOnly(13, 30));

        Assert.Equal(NotificationDecision.Defer(Utc(12, 3, 13, 30)), Decide(AlertPriority.Important, Utc(12, 3, 12, 15), quietHours: lunch));
        Assert.Equal(NotificationOutcome.Send, Decide(AlertPriority.Routine, Utc(12, 3, 23), quietHours: lunch).Outcome);
        Assert.Equal(NotificationOutcome.Send, Decide(AlertPriority.Routine, Utc(12, 3, 23), quietHours: QuietHours.None).Outcome);
    }

    [Fact]
    public void Quiet_hours_are_the_members_own_night_wherever_they_live()
    {
        var instant = Utc(12, 3, 20, 30); // 21:30 in Berlin (CET), 15:30 in New York (EST), 02:00 next day in Kolkata

        Assert.Equal(NotificationDecision.Defer(Utc(12, 4, 7)), Decide(AlertPriority.Important, instant, Berlin)); // 08:00 CET
        Assert.Equal(NotificationOutcome.Send, Decide(AlertPriority.Important, instant, NewYork).Outcome);
        Assert.Equal(NotificationDecision.Defer(Utc(12, 4, 2, 30)), Decide(AlertPriority.Important, instant, Kolkata)); // 08:00 IST
        Assert.Equal(NotificationOutcome.Send, Decide(AlertPriority.Important, instant).Outcome); // UTC: 20:30
    }

    [Fact]
    public void A_half_hour_offset_moves_the_boundary_by_half_an_hour()
    {
        Assert.Equal(NotificationOutcome.Send, Decide(AlertPriority.Routine, Utc(12, 3, 15, 29, 59), Kolkata).Outcome); // 20:59:59 IST
        Assert.Equal(NotificationDecision.Silence(SilenceReason.QuietHours), Decide(AlertPriority.Routine, Utc(12, 3, 15, 30), Kolkata)); // 21:00 IST
    }

    [Fact]
    public void The_night_the_clocks_go_forward_ends_at_eight_local_summer_time()
    {
        // Berlin, 28 March 22:00 CET (+01:00); the clocks go forward at 02:00 on the 29th: 08:00 is CEST (+02:00), 06:00 UTC.
        Assert.Equal(NotificationDecision.Defer(Utc(3, 29, 6)), Decide(AlertPriority.Important, Utc(3, 28, 21), Berlin));

        // New York, 7 March 23:00 EST (-05:00); forward on the 8th: 08:00 EDT (-04:00) is 12:00 UTC.
        Assert.Equal(NotificationDecision.Defer(Utc(3, 8, 12)), Decide(AlertPriority.Important, Utc(3, 8, 4), NewYork));
    }

    [Fact]
    public void The_night_the_clocks_go_back_ends_at_eight_local_winter_time()
    {
        // Berlin, 24 October 22:00 CEST (+02:00); back at 03:00 on the 25th: 08:00 is CET (+01:00), 07:00 UTC.
        Assert.Equal(NotificationDecision.Defer(Utc(10, 25, 7)), Decide(AlertPriority.Important, Utc(10, 24, 20), Berlin));

        // New York, 31 October 22:00 EDT; back on 1 November: 08:00 EST is 13:00 UTC.
        Assert.Equal(NotificationDecision.Defer(Utc(11, 1, 13)), Decide(AlertPriority.Important, Utc(11, 1, 2), NewYork));
    }

    [Fact]
    public void Quiet_hours_that_end_in_the_skipped_hour_end_when_the_clock_jumps()
    {
        // 02:30 does not exist in Berlin on 29 March 2026 (01:59:59 CET is followed by 03:00 CEST, at 01:00 UTC).
        var untilHalfPastTwo = new QuietHours(new TimeOnly(22, 0), new TimeOnly(2, 30));

        Assert.Equal(NotificationDecision.Defer(Utc(3, 29, 1)), Decide(AlertPriority.Important, Utc(3, 29, 0), Berlin, quietHours: untilHalfPastTwo));
        Assert.Equal(NotificationOutcome.Send, Decide(AlertPriority.Important, Utc(3, 29, 1), Berlin, quietHours: untilHalfPastTwo).Outcome); // 03:00 CEST
    }

    [Fact]
    public void Quiet_hours_that_end_in_the_repeated_hour_end_the_first_time_the_clock_shows_it()
    {
        // 02:30 happens twice in Berlin on 25 October 2026: at 00:30 UTC (CEST) and at 01:30 UTC (CET).
        var untilHalfPastTwo = new QuietHours(new TimeOnly(22, 0), new TimeOnly(2, 30));

        Assert.Equal(NotificationDecision.Defer(Utc(10, 25, 0, 30)), Decide(AlertPriority.Important, Utc(10, 24, 23), Berlin, quietHours: untilHalfPastTwo));
        Assert.Equal(NotificationOutcome.Send, Decide(AlertPriority.Important, Utc(10, 25, 0, 45), Berlin, quietHours: untilHalfPastTwo).Outcome); // 02:45 CEST

        // Quiet hours are wall-clock times: when the clock shows 02:00 again (CET), it is quiet until the second 02:30,
        // never until an instant already past.
        Assert.Equal(NotificationDecision.Defer(Utc(10, 25, 1, 30)), Decide(AlertPriority.Important, Utc(10, 25, 1, 0), Berlin, quietHours: untilHalfPastTwo));
    }

    [Fact]
    public void A_deferred_alert_of_a_member_whose_zone_changed_falls_due_when_quiet_hours_end_in_the_new_zone()
    {
        var instant = Utc(12, 3, 22); // 23:00 in Berlin, 17:00 in New York, 03:30 next day in Kolkata

        Assert.Equal(Utc(12, 4, 7), NotificationPolicy.DeferredUntil(Berlin, Night, instant));
        Assert.Equal(instant, NotificationPolicy.DeferredUntil(NewYork, Night, instant)); // day there: due now
        Assert.Equal(Utc(12, 4, 2, 30), NotificationPolicy.DeferredUntil(Kolkata, Night, instant));
    }

    [Fact]
    public void Outside_quiet_hours_the_shared_budget_decides_and_a_full_one_holds_an_important_alert_until_it_frees()
    {
        // Three alerts at 09:00, 10:00 and 11:00 fill Google's 3 per 24 hours: a fourth may go out at 09:00 the next day.
        DateTimeOffset[] alerted = [Utc(12, 3, 9), Utc(12, 3, 10), Utc(12, 3, 11)];
        var full = NotificationBudget.Of(alerted, 3, Utc(12, 3, 12));

        Assert.Equal(NotificationOutcome.Send, Decide(AlertPriority.Important, Utc(12, 3, 12), budget: NotificationBudget.Of(alerted[1..], 3, Utc(12, 3, 12))).Outcome);
        Assert.Equal(NotificationDecision.Defer(Utc(12, 4, 9)), Decide(AlertPriority.Important, Utc(12, 3, 12), budget: full));
        Assert.Equal(NotificationDecision.Silence(SilenceReason.Budget), Decide(AlertPriority.Routine, Utc(12, 3, 12), budget: full));
        Assert.Equal(new NotificationBudget(2, 3), NotificationBudget.Of(alerted, 3, Utc(12, 4, 9))); // the 09:00 alert is 24 hours old

        // A budget that frees at night holds the alert on to the morning; a budget of 0 never frees, so nothing waits.
        Assert.Equal(NotificationDecision.Defer(Utc(12, 4, 8)), Decide(AlertPriority.Important, Utc(12, 3, 12), budget: NotificationBudget.Of([Utc(12, 3, 3)], 1, Utc(12, 3, 12))));
        Assert.Equal(NotificationDecision.Silence(SilenceReason.Budget), Decide(AlertPriority.Important, Utc(12, 3, 12), budget: NotificationBudget.Of([], 0, Utc(12, 3, 12))));

        // In quiet hours an important alert still waits: the budget is asked again when it falls due.
        Assert.Equal(NotificationOutcome.Defer, Decide(AlertPriority.Important, Utc(12, 3, 23), budget: full).Outcome);
    }

    [Fact]
    public void A_version_alerts_only_for_the_changes_the_member_wants_and_says_why_for_the_rest()
    {
        PassAlert[] alerts = [new(PassAlerts.Tier, AlertPriority.Important), new(PassAlerts.Points, AlertPriority.Routine)];

        var day = NotificationPolicy.DecideVersion(alerts, NotificationPreferences.Important, Berlin, Night, Fresh, "gold", Utc(12, 3, 12));
        var night = NotificationPolicy.DecideVersion(alerts, NotificationPreferences.All, Berlin, Night, Fresh, "gold", Utc(12, 3, 22));

        Assert.Equal(PassAlerts.Tier, day.Alerts);
        Assert.Null(day.Deferred);
        Assert.Equal("tier: sent; points: silenced (preference)", day.Describe());
        Assert.Equal(PassAlerts.None, night.Alerts);
        Assert.Equal(new DeferredAlert("gold", Utc(12, 4, 7)), night.Deferred);
        Assert.Equal("tier: deferred until 2026-12-04T07:00:00Z; points: silenced (quiet-hours)", night.Describe());
    }
}
