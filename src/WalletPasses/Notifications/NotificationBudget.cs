namespace WalletPasses.Notifications;

/// <summary>
/// Alerts a pass gave in the last 24 hours (Apple and Google together) against the most it may give, and when a full
/// budget frees again (<see cref="FreesAt"/>; none when the budget is 0 or not full).
/// </summary>
public sealed record NotificationBudget(int Used, int PerDay, DateTimeOffset? FreesAt = null)
{
    public bool Exhausted => Used >= PerDay;

    /// <summary>
    /// The budget at <paramref name="now"/> of a pass that alerted at <paramref name="alertTimes"/>. An alert counts for
    /// 24 hours, so a full budget frees when the oldest of the alerts that keep it full turns 24 hours old.
    /// </summary>
    public static NotificationBudget Of(IEnumerable<DateTimeOffset> alertTimes, int perDay, DateTimeOffset now)
    {
        var recent = alertTimes.Where(t => t > now.AddDays(-1)).Order().ToArray();
        return new(recent.Length, perDay, perDay > 0 && recent.Length >= perDay ? recent[recent.Length - perDay].AddDays(1) : null);
    }
}
