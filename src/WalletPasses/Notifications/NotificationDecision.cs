namespace WalletPasses.Notifications;

public enum NotificationOutcome
{
    /// <summary>The update alerts the holder now.</summary>
    Send,

    /// <summary>The update arrives at once, without an alert.</summary>
    Silence,

    /// <summary>The update arrives at once, without an alert; the alert follows at <see cref="NotificationDecision.Until"/>.</summary>
    Defer,
}

public enum SilenceReason
{
    /// <summary>The member's <c>notifications</c> preference excludes the alert.</summary>
    Preference,

    /// <summary>A routine alert in the member's quiet hours.</summary>
    QuietHours,

    /// <summary>The pass alerted the maximum number of times in the last 24 hours (Apple and Google together).</summary>
    Budget,
}

/// <summary>What the notification policy decided for one alert.</summary>
public sealed record NotificationDecision(NotificationOutcome Outcome, SilenceReason? Reason = null, DateTimeOffset? Until = null)
{
    public static NotificationDecision Send { get; } = new(NotificationOutcome.Send);

    public static NotificationDecision Silence(SilenceReason reason) => new(NotificationOutcome.Silence, reason);

    public static NotificationDecision Defer(DateTimeOffset until) => new(NotificationOutcome.Defer, Until: until);

    /// <summary>For the delivery trace: <c>sent</c>, <c>silenced (quiet-hours)</c>, <c>deferred until 2026-…Z</c>.</summary>
    public override string ToString() => Outcome switch
    {
        NotificationOutcome.Send => "sent",
        NotificationOutcome.Silence => $"silenced ({ReasonName(Reason)})",
        _ => $"deferred until {Until?.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}",
    };

    private static string ReasonName(SilenceReason? reason) => reason switch
    {
        SilenceReason.Preference => "preference",
        SilenceReason.QuietHours => "quiet-hours",
        SilenceReason.Budget => "budget",
        _ => "unknown",
    };
}
