namespace WalletPasses.Notifications;

/// <summary>
/// Whether an alert goes out now, silently, or after quiet hours. Pure: the caller reads the member's settings, the
/// pass's recent alerts and the clock, and stores what this decides (the model is Events' <c>EventApplication</c>).
/// </summary>
public static class NotificationPolicy
{
    /// <summary>
    /// The member's consent comes first (<paramref name="preference"/>), then the night: in quiet hours an important
    /// alert waits for their end and a routine one is dropped (the update itself always arrives at once). Last, the
    /// budget the pass shares across Apple and Google: when it is full, an important alert waits for it to free and a
    /// routine one is dropped. A deferred alert is decided again when it falls due.
    /// </summary>
    public static NotificationDecision Decide(
        AlertPriority priority, string preference, TimeZoneInfo zone, QuietHours quietHours, NotificationBudget budget, DateTimeOffset now)
    {
        if (!NotificationPreferences.Allows(preference, priority))
        {
            return NotificationDecision.Silence(SilenceReason.Preference);
        }

        if (quietHours.Contains(now, zone))
        {
            return priority == AlertPriority.Important
                ? NotificationDecision.Defer(quietHours.EndAfter(now, zone))
                : NotificationDecision.Silence(SilenceReason.QuietHours);
        }

        if (!budget.Exhausted)
        {
            return NotificationDecision.Send;
        }

        // A full budget holds an important alert until it frees (and then past quiet hours, should it free at night), as
        // the night does: dropping it would leave a holder never told of their upgrade. A routine one is dropped, since
        // a points balance or offer announced hours later is stale; the pass itself shows it at once.
        return priority == AlertPriority.Important && budget.FreesAt is { } frees
            ? NotificationDecision.Defer(DeferredUntil(zone, quietHours, frees))
            : NotificationDecision.Silence(SilenceReason.Budget);
    }

    /// <summary>
    /// When a deferred alert falls due in <paramref name="zone"/>: the end of quiet hours, or now when they are over
    /// there (a member whose zone changed overnight is decided again at once).
    /// </summary>
    public static DateTimeOffset DeferredUntil(TimeZoneInfo zone, QuietHours quietHours, DateTimeOffset now) =>
        quietHours.Contains(now, zone) ? quietHours.EndAfter(now, zone) : now;

    /// <summary>
    /// Decides every alert of one pass version. The version alerts for the changes that may (one alert of the budget,
    /// however many fields change: Wallet shows one message per update); an important alert in quiet hours or over the
    /// budget becomes the <see cref="DeferredAlert"/> of <paramref name="tier"/>.
    /// </summary>
    public static VersionNotification DecideVersion(
        IReadOnlyList<PassAlert> alerts, string preference, TimeZoneInfo zone, QuietHours quietHours, NotificationBudget budget, string tier, DateTimeOffset now)
    {
        var decisions = alerts.Select(alert => (alert, Decide(alert.Priority, preference, zone, quietHours, budget, now))).ToArray();
        var send = decisions.Where(d => d.Item2.Outcome == NotificationOutcome.Send).Aggregate(PassAlerts.None, (all, d) => all | d.alert.Kind);
        var deferredUntil = decisions.Select(d => d.Item2).FirstOrDefault(d => d.Outcome == NotificationOutcome.Defer)?.Until;
        return new VersionNotification(send, deferredUntil is { } until ? new DeferredAlert(tier, until) : null, decisions);
    }
}
