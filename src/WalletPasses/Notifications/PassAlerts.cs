namespace WalletPasses.Notifications;

/// <summary>
/// Which changes of a pass version may alert the holder. Apple alerts through the changeMessage of the field whose
/// value changed, Google through <c>NOTIFY_ON_UPDATE</c> (points) or a <c>TEXT_AND_NOTIFY</c> message (tier, offers).
/// </summary>
[Flags]
public enum PassAlerts
{
    None = 0,
    Points = 1,
    Tier = 2,
    Offers = 4,

    /// <summary>An important alert deferred past quiet hours, announced on its own (the pass already shows the change).</summary>
    Announcement = 8,

    /// <summary>What a version alerted for before the notification policy (rows stored before it).</summary>
    Legacy = Points | Tier | Offers,
}
