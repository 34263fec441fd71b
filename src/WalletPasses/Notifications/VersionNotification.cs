namespace WalletPasses.Notifications;

/// <summary>
/// What the policy decided for one pass version: the changes that alert now (<see cref="Alerts"/>), the important
/// alert that waits for the end of quiet hours, if any, and each alert's decision for the delivery trace.
/// </summary>
public sealed record VersionNotification(PassAlerts Alerts, DeferredAlert? Deferred, IReadOnlyList<(PassAlert Alert, NotificationDecision Decision)> Decisions)
{
    /// <summary>One line per alert for the delivery trace: <c>tier: sent; points: silenced (preference)</c>.</summary>
    public string Describe() => string.Join("; ", Decisions.Select(d => $"{Name(d.Alert.Kind)}: {d.Decision}"));

    public static string Name(PassAlerts kind) => kind switch
    {
        PassAlerts.Points => "points",
        PassAlerts.Tier => "tier",
        PassAlerts.Offers => "offer",
        PassAlerts.Announcement => "deferred tier",
        _ => kind.ToString(),
    };
}
